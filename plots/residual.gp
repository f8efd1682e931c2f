# residual.gp — figures of results/residual.json (experiment: experiments/residual.c)
load 'plots/common.gp'

call 'plots/figure.gp' 'depth' 760 500
set title sprintf('Training loss after %s epochs against depth, width %s, ReLU + batch norm (mean ± std over %s seeds)', \
    jval('config.epochs'), jval('config.width'), jval('config.seeds'))
set xlabel 'hidden layers'
set ylabel 'training loss (whole training set)'
set logscale y
set key top left
plot for [k in "plain residual"] jdata(sprintf('summary.train_loss.depth summary.train_loss.%s.mean summary.train_loss.%s.std', k, k)) \
     u 1:2:3 w yerrorlines ls (k eq 'plain' ? 1 : 2) pt 7 title (k eq 'plain' ? 'plain' : 'residual (pre-activation blocks)')
unset logscale y

call 'plots/figure.gp' 'curves' 1100 460
set multiplot layout 1,2 title 'Training loss per epoch (each seed), by depth'
set xlabel 'epoch'
set xtics 1
set xrange [0.5:int(jval('config.epochs'))+0.5]
set ylabel 'mean mini-batch training loss'
set logscale y
set key top right
NR = words(jlist('runs'))
do for [k in "plain residual"] {
    set title k
    plot for [r=0:NR-1] jdata(sprintf('runs.%d.history.epoch runs.%d.history.train_loss', r, r)) \
         u 1:(jval(sprintf('runs.%d.group', r)) eq k ? $2 : NaN) w lp pt 7 ps 0.5 \
         lc rgb C[int(r / int(jval('config.seeds'))) % 6 + 1] \
         title (r % int(jval('config.seeds')) == 0 && jval(sprintf('runs.%d.group', r)) eq k ? sprintf('%s layers', jval(sprintf('runs.%d.depth', r))) : '')
}
unset multiplot
