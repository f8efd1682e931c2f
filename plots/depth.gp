# depth.gp — figures of results/depth.json (experiment: experiments/depth.c)
load 'plots/common.gp'

depths = jlist('summary.depth')
ND = words(depths)
NV = int(jval('summary.arms.#'))
vtitle(v) = jval(sprintf('summary.arms.%d.title', v - 1))
curve(v, i) = jdata(sprintf('summary.arms.%d.curves.%d.test_acc.mean summary.arms.%d.curves.%d.test_acc.std', v - 1, i, v - 1, i))

# 1. test accuracy over epochs, one panel per variant, one curve per depth (mean ± std over seeds)
call 'plots/figure.gp' 'curves' (wide(400*NV+100)) 450
set multiplot layout 1,NV title sprintf('Test accuracy per epoch on %s (%s training images), mean ± std over %s seeds', jval('dataset.name'), jval('dataset.train'), jval('config.seeds'))
set xlabel 'epoch'
set ylabel 'test accuracy (%)'
set yrange [0:100]
set key bottom right
do for [v=1:NV] {
    set title vtitle(v) noenhanced
    plot for [i=0:ND-1] curve(v, i) u ($0+1):(100*($1-$2)):(100*($1+$2)) w filledcurves lc rgb C[i+1] notitle, \
         for [i=0:ND-1] curve(v, i) u ($0+1):(100*$1) w lp ls i+1 pt 7 ps 0.5 title sprintf('%s hidden', word(depths, i+1))
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
set key top left
plot for [v=1:NV] jdata(sprintf('summary.depth summary.arms.%d.final_mean summary.arms.%d.final_std', v - 1, v - 1)) \
         u 1:2:3 w yerrorlines ls v pt 7 title vtitle(v), \
     jdata('summary.depth summary.lecture') u 1:2 w p pt 6 ps 2 lc rgb '#000000' title 'lecture (Nielsen ch. 5)'
