# residual.gp — figures of results/residual.json (experiment: experiments/residual.c)
# Conditions: group plain or residual, x the number of hidden layers.
load 'plots/common.gp'

call 'plots/figure.gp' 'depth' 760 500
set title sprintf('Training loss after %d epochs against depth, width %d, ReLU%s (mean ± std over %d seeds)', \
    cfg_epochs, cfg_width, cfg_batchnorm ? ' + batch norm' : '', cfg_seeds)
set xlabel 'hidden layers'
set ylabel 'training loss (whole training set)'
set logscale y
set key top left
plot for [g in GROUPS] M('train_loss') u (COND_GROUP[int($1) + 1] eq g ? $2 : NaN):3:4 w yerrorlines \
     ls (g eq 'plain' ? 1 : 2) pt 7 title (g eq 'plain' ? 'plain' : 'residual (pre-activation blocks)')
unset logscale y

call 'plots/figure.gp' 'curves' 1100 460
set multiplot layout 1,2 title 'Training loss per epoch (each seed), by depth'
set xlabel 'epoch'
set xtics 1
set xrange [0.5:cfg_epochs + 0.5]
set ylabel 'mean mini-batch training loss'
set logscale y
set key top right
do for [g in GROUPS] {
    set title g
    plot for [i = 1:NCOND] for [r = 0:NSEEDS - 1] MS('history.train_loss') index ((i - 1) * NSEEDS + r) \
         u 1:(COND_GROUP[i] eq g ? $2 : NaN) w lp pt 7 ps 0.5 lc rgb C[(i - 1) % 6 + 1] \
         title (r == 0 && COND_GROUP[i] eq g ? sprintf('%d layers', COND_X[i]) : '')
}
unset multiplot
