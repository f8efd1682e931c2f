# activations.gp — figures of results/activations.json (experiment: experiments/activations.c)
load 'plots/common.gp'

acts = jlist('config.activations')
NA = words(acts)
target = real(jval('config.target_loss'))

call 'plots/figure.gp' 'loss' 760 500
set title sprintf('Training loss per epoch, same %d-layer net, init %s, SGD η = %s (mean ± std over %s seeds)', \
    words(jlist('config.hidden')), jval('config.init'), jval('config.lr'), jval('config.seeds')) noenhanced
set xlabel 'epoch'
set ylabel 'training loss (cross-entropy)'
set logscale y
set format y '10^{%L}'
set key top right
set arrow 1 from graph 0, first target to graph 1, first target nohead dt 2 lc rgb '#888888'
set label 1 sprintf('target %g', target) at graph 0.02, first target offset 0,0.7 tc rgb '#666666'
plot for [a=1:NA] jdata(sprintf('summary.curves.%s.train_loss.mean summary.curves.%s.train_loss.std', word(acts, a), word(acts, a))) \
         u ($0+1):($1-$2 > 0 ? $1-$2 : $1):($1+$2) w filledcurves lc rgb C[a] notitle, \
     for [a=1:NA] jdata(sprintf('summary.curves.%s.train_loss.mean', word(acts, a))) u ($0+1):1 w lp ls a pt 7 title word(acts, a)
unset arrow 1
unset label 1
unset logscale y
set format y '% g'

if (strstrt(acts, 'relu') == 0) { exit }   # no ReLU run: no dead units to show
call 'plots/figure.gp' 'dead' 700 460
set title sprintf('Dead ReLU units: hidden units that output 0 on all %s probe images', jval('config.probe'))
set xlabel 'epoch (0 = initialization)'
set ylabel 'dead units (% of all hidden units)'
set yrange [0:*]
set key top left
plot jdata('summary.curves.relu.dead_fraction.mean summary.curves.relu.dead_fraction.std') u 0:(100*$1):(100*$2) w yerrorlines ls 1 pt 7 title 'ReLU'
