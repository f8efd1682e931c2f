# exploding.gp — figures of results/exploding.json (experiment: experiments/exploding.c)
load 'plots/common.gp'

keys = 'plain clipped low_lr'
title(k) = k eq 'plain' ? sprintf('no remedy, η = %s', jval('config.lr')) : k eq 'clipped' ? sprintf('clipped at ‖g‖ = %s', jval('config.clip')) : sprintf('lower rate, η = %s', jval('config.lr_low'))
div(k) = jval(sprintf('summary.first_divergence_step.%s', k))
t(k) = div(k) eq 'NaN' ? title(k) : sprintf('%s (diverged at step %s)', title(k), div(k))

call 'plots/figure.gp' 'grad-norm' 900 520
set title sprintf('Gradient norm per step (before clipping), %d ReLU layers, weights %s × He, %s seeds', \
    words(jlist('config.hidden')), jval('config.init_scale'), jval('config.seeds'))
set xlabel sprintf('training step (log scale; %s steps per epoch)', jval('summary.steps_per_epoch'))
set ylabel '‖∂L/∂θ‖'
set logscale xy
set format y '10^{%L}'
set key top right
plot for [i=1:3] jdata(sprintf('summary.grad_norm.%s.mean', word(keys, i))) u ($0+1):1 w lp ls i pt 7 ps 0.4 title t(word(keys, i))
unset logscale xy
set format y '% g'

call 'plots/figure.gp' 'accuracy' 700 460
set title 'Test accuracy per epoch (a diverged run has none)'
set xlabel 'epoch'
set ylabel 'test accuracy (%)'
set yrange [0:100]
set key bottom right
NR = words(jlist('runs'))
plot for [r=0:NR-1] jdata(sprintf('runs.%d.history.epoch runs.%d.history.test_acc', r, r)) u 1:(100*$2) w lp \
     lc rgb C[jval(sprintf('runs.%d.group', r)) eq 'plain' ? 1 : jval(sprintf('runs.%d.group', r)) eq 'clipped' ? 2 : 3] pt 7 \
     title (r % int(jval('config.seeds')) == 0 ? title(jval(sprintf('runs.%d.group', r))) : '')
