# exploding.gp — figures of results/exploding.json (experiment: experiments/exploding.c)
# One curve per condition (the config's arms): the net without a remedy and each remedy.
load 'plots/common.gp'

S = NSEEDS
t(i) = n_divergence_step[i] == 0 ? COND_LABEL[i] : sprintf('%s (%d of %d seeds diverged, first at step %d)', \
    COND_LABEL[i], int(mean_diverged[i] * n_diverged[i] + 0.5), S, int(min_divergence_step[i]))

call 'plots/figure.gp' 'grad-norm' 900 520
set title sprintf("Gradient norm per step (before clipping), %d ReLU layers, weights %g × He;\nmean over the %d seeds while all are still running", \
    words(cfg_hidden), cfg_init_scale, S)
set xlabel sprintf('training step (log scale; %d steps per epoch)', int(mean_steps_per_epoch[1]))
set ylabel '‖∂L/∂θ‖'
set logscale xy
set format y '10^{%L}'
set key top left
plot for [i=1:NCOND] M('grad_norm') index (i - 1) u 1:($6 == S ? $2 : NaN) w l ls i title t(i)
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
plot for [i=1:NCOND] M('history.test_acc') index (i - 1) u 1:(100*$4):(100*$5) w filledcurves lc rgb C[i] notitle, \
     for [i=1:NCOND] M('history.test_acc') index (i - 1) u 1:(100*$2) w lp ls i pt 7 title t(i)
