# exploding.gp — figures of results/exploding.json (experiment: experiments/exploding.c)
# One curve per arm (summary.arms): the net without a remedy and each remedy.
load 'plots/common.gp'

NA = int(jval('summary.arms.#'))
S = int(jval('config.seeds'))
div(a) = jval(sprintf('summary.arms.%d.first_divergence_step', a))
t(a) = div(a) eq 'NaN' ? jval(sprintf('summary.arms.%d.title', a)) : sprintf('%s (%s of %d seeds diverged, first at step %s)', jval(sprintf('summary.arms.%d.title', a)), jval(sprintf('summary.arms.%d.runs_diverged', a)), S, div(a))

call 'plots/figure.gp' 'grad-norm' 900 520
set title sprintf("Gradient norm per step (before clipping), %d ReLU layers, weights %s × He;\nmean over the %d seeds while all are still running", \
    words(jlist('config.hidden')), jval('config.init_scale'), S)
set xlabel sprintf('training step (log scale; %s steps per epoch)', jval('summary.steps_per_epoch'))
set ylabel '‖∂L/∂θ‖'
set logscale xy
set format y '10^{%L}'
set key top left
plot for [a=0:NA-1] jdata(sprintf('summary.arms.%d.grad_norm_all_seeds', a)) u ($0+1):1 w l ls a+1 title t(a)
unset logscale xy
set format y '% g'

call 'plots/figure.gp' 'accuracy' 760 460
set title sprintf('Test accuracy per epoch, mean with the lowest and highest of %d seeds (a diverged run has none)', S)
set xlabel 'epoch'
set ylabel 'test accuracy (%)'
set yrange [0:100]
set xtics 1
set xrange [0.8:*]
set key bottom right
plot for [a=0:NA-1] jdata(sprintf('summary.arms.%d.test_acc.min summary.arms.%d.test_acc.max', a, a)) u ($0+1):(100*$1):(100*$2) w filledcurves lc rgb C[a+1] notitle, \
     for [a=0:NA-1] jdata(sprintf('summary.arms.%d.test_acc.mean', a)) u ($0+1):(100*$1) w lp ls a+1 pt 7 title t(a)
