# deep_supervision.gp — figures of results/deep_supervision.json (experiment: experiments/deep_supervision.c)
load 'plots/common.gp'

K = words(jlist('config.hidden'))
vt(v) = v eq 'plain' ? 'without heads' : sprintf('with heads (α from %s to 0)', jval('config.head_alpha'))
V(i) = i == 0 ? 'plain' : 'heads'

# 1. mean |∂/∂W| per layer in the first and the last epoch (the lecture's figure)
call 'plots/figure.gp' 'gradient' 780 520
set title sprintf("Mean |∂/∂W| of the trained objective per layer, %d sigmoid hidden layers + output (mean over %s seeds)", K, jval('config.seeds'))
set xlabel sprintf('layer (1 = next to the input, %d = output)', K+1)
set ylabel 'mean |∂/∂W| over the epoch'
set logscale y
set format y '10^{%L}'
set xtics 1
set xrange [0.7:K+1.3]
set key bottom right
plot for [i=0:1] jdata(sprintf('summary.layer_profile.%s.first_epoch', V(i))) u ($0+1):1 w lp ls i+1 pt 7 title sprintf('%s, epoch 1', vt(V(i))), \
     for [i=0:1] jdata(sprintf('summary.layer_profile.%s.last_epoch', V(i))) u ($0+1):1 w lp ls i+1 dt 2 pt 6 title sprintf('%s, last epoch', vt(V(i)))

# 2. every layer over the epochs
call 'plots/figure.gp' 'layers' 1100 460
set multiplot layout 1,2 title 'Mean |∂/∂W| per layer over training (mean over seeds)'
set xlabel 'epoch'
set xrange [0.8:*]
set xtics autofreq
set key outside right
do for [i=0:1] {
    set title vt(V(i))
    plot for [l=0:K] jdata(sprintf('summary.mean_abs_grad.%s.%d.mean', V(i), l)) u ($0+1):1 w lp ls l%9+1 pt 7 ps 0.5 title (l < K ? sprintf('layer %d', l+1) : 'output')
}
unset multiplot
unset logscale y
set format y '% g'

# 3. test accuracy
call 'plots/figure.gp' 'accuracy' 700 480
set title sprintf('Test accuracy (main output), SGD η = %s, mean ± std over %s seeds', jval('config.lr'), jval('config.seeds'))
set xlabel 'epoch'
set ylabel 'test accuracy (%)'
set yrange [0:100]
set key bottom right
plot for [i=0:1] jdata(sprintf('summary.test_acc.%s.mean summary.test_acc.%s.std', V(i), V(i))) u ($0+1):(100*($1-$2)):(100*($1+$2)) w filledcurves lc rgb C[i+1] notitle, \
     for [i=0:1] jdata(sprintf('summary.test_acc.%s.mean', V(i))) u ($0+1):(100*$1) w lp ls i+1 pt 7 title vt(V(i))
