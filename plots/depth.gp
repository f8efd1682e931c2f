# depth.gp — figures of results/depth.json (experiment: experiments/depth.c)
load 'plots/common.gp'

depths = jlist('summary.final_test_acc.depth')
ND = words(depths)
variants = jlist('config.variants')
NV = words(variants)
vtitle(v) = v eq 'sigmoid' ? 'sigmoid, N(0, 1/n_in)' : v eq 'relu_he' ? 'ReLU + He init' : 'sigmoid + batch norm'
curve(v, i) = jdata(sprintf('summary.curves.%s.%d.test_acc.mean summary.curves.%s.%d.test_acc.std', v, i, v, i))

# 1. test accuracy over epochs, one panel per variant, one curve per depth (mean ± std over seeds)
call 'plots/figure.gp' 'curves' (400*NV+100) 450
set multiplot layout 1,NV title sprintf('Test accuracy per epoch on %s (%s training images), mean ± std over %s seeds', jval('dataset.name'), jval('dataset.train'), jval('config.seeds'))
set xlabel 'epoch'
set ylabel 'test accuracy (%)'
set yrange [0:100]
set key bottom right
do for [v=1:NV] {
    V = word(variants, v)
    set title vtitle(V) noenhanced
    plot for [i=0:ND-1] curve(V, i) u ($0+1):(100*($1-$2)):(100*($1+$2)) w filledcurves lc rgb C[i+1] notitle, \
         for [i=0:ND-1] curve(V, i) u ($0+1):(100*$1) w lp ls i+1 pt 7 ps 0.5 title sprintf('%s hidden', word(depths, i+1))
}
unset multiplot

# 2. final accuracy against depth, beside the lecture's table
call 'plots/figure.gp' 'final' 750 500
set title sprintf("Final test accuracy against depth (%s epochs), and the lecture's table (50,000 training images)", jval('config.epochs'))
set xlabel 'hidden layers of 30 units'
set ylabel 'test accuracy (%)'
set xrange [-0.3:ND-0.7]
set xtics 1
set yrange [*:100]
set autoscale ymin
set key bottom left
plot for [v=1:NV] jdata(sprintf('summary.final_test_acc.depth summary.final_test_acc.%s.mean summary.final_test_acc.%s.std', word(variants, v), word(variants, v))) \
         u 1:2:3 w yerrorlines ls v pt 7 title vtitle(word(variants, v)), \
     jdata('summary.final_test_acc.lecture') u ($0):1 w p pt 6 ps 2 lc rgb '#000000' title 'lecture (Nielsen ch. 5)'
