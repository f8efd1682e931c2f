# normalization.gp — figures of results/normalization.json (experiment: experiments/normalization.c)
load 'plots/common.gp'

NET = sprintf('%s x %s %s, SGD, batch %s', jval('config.depth'), jval('config.width'), jval('config.activation'), jval('config.batch'))
SEEDS = jval('config.seeds')
sw(sec, x, k, what) = jdata(sprintf('summary.%s.%s summary.%s.%s.%smean summary.%s.%s.%sstd', sec, x, sec, k, what, sec, k, what))
TITLE(k) = k eq 'bn' ? 'batch norm' : 'no batch norm'

# 1. the rate sweep and the init sweep
call 'plots/figure.gp' 'sweeps' 1100 460
set multiplot layout 1,2 title sprintf('%s, %s epochs: final test accuracy, mean ± std over %s seeds', NET, jval('config.epochs'), SEEDS)
set ylabel 'final test accuracy (%)'
set yrange [0:100]
set logscale x
set key bottom left
set title 'learning rate sweep'
set xlabel 'learning rate η'
plot for [k in "plain bn"] sw('rates', 'lr', k, '') u 1:2:3 w yerrorlines ls (k eq 'bn' ? 2 : 1) pt 7 title TITLE(k)
set title sprintf('init sweep: %s × factor', jval('config.init')) noenhanced
set xlabel 'factor on the init standard deviation'
plot for [k in "plain bn"] sw('init', 'scale', k, '') u 1:2:3 w yerrorlines ls (k eq 'bn' ? 2 : 1) pt 7 title TITLE(k)
unset multiplot
unset logscale x

# 2. variants of batch norm itself
call 'plots/figure.gp' 'variants' 1200 460
set multiplot layout 1,2 title sprintf('%s, η = %s, %s epochs: batch norm taken apart (mean ± std over %s seeds)', NET, jval('config.lr'), jval('config.epochs'), SEEDS)
NV = int(system(sprintf("%s --list %s 'summary.variants.index' | wc -w", JQ, INQ)))
unset xlabel
set xtics () noenhanced
do for [i=1:NV] { set xtics add (system(sprintf("%s --value %s 'summary.variants.name.%d'", JQ, INQ, i - 1)) i - 1) }
set xrange [-0.6:NV - 0.4]
set style fill solid 0.6 noborder
set boxwidth 0.6
unset key
set title 'final test accuracy (%)'
set ylabel 'test accuracy (%)'
set yrange [*:*]
plot jdata('summary.variants.index summary.variants.test.mean summary.variants.test.std') u 1:2 w boxes lc rgb C[1], \
     '' u 1:2:3 w yerrorbars lc rgb '#333333' pt -1
set title sprintf('final training loss (first %s training images)', jval('config.probe'))
set ylabel 'training loss (nats)'
set yrange [0:*]
plot jdata('summary.variants.index summary.variants.train_loss.mean summary.variants.train_loss.std') u 1:2 w boxes lc rgb C[2], \
     '' u 1:2:3 w yerrorbars lc rgb '#333333' pt -1
unset multiplot
set xtics autofreq norotate
set xrange [*:*]
set style fill transparent solid 0.2 noborder

# 3. batch norm as a regularizer: batch sizes on a small training set
call 'plots/figure.gp' 'batches' 900 480
set title sprintf("%s x %s %s, SGD, η = %s, trained on the first %s images for %s epochs at each mini-batch size:\ntest accuracy (solid, mean ± std over %s seeds) and training accuracy (dashed)", \
    jval('config.depth'), jval('config.width'), jval('config.activation'), jval('config.lr'), jval('config.reg_n_train'), jval('config.reg_epochs'), SEEDS)
set xlabel 'mini-batch size'
set ylabel 'accuracy (%)'
set logscale x
BS = jlist('summary.batches.batch')
if (words(BS) == 1) { set xrange [word(BS, 1) / 2.0 : word(BS, 1) * 2.0] } else { set xrange [*:*] }
set yrange [*:100.5]
set key center right
plot for [k in "plain bn"] sw('batches', 'batch', k, 'test.') u 1:2:3 w yerrorlines ls (k eq 'bn' ? 2 : 1) pt 7 title TITLE(k).': test', \
     for [k in "plain bn"] jdata(sprintf('summary.batches.batch summary.batches.%s.train', k)) u 1:2 w lp ls (k eq 'bn' ? 2 : 1) dt 2 pt 6 title TITLE(k).': training'
unset logscale x
set xrange [*:*]

# 4. depth: accuracy and saturated units
call 'plots/figure.gp' 'depths' 1100 460
set multiplot layout 1,2 title sprintf('%s-unit %s layers, η = %s, %s epochs (mean over %s seeds)', jval('config.width'), jval('config.activation'), jval('config.lr'), jval('config.epochs'), SEEDS)
set xlabel 'hidden layers'
set logscale x 2
set key top right
set title 'final test accuracy (%), ± std'
set ylabel 'test accuracy (%)'
set yrange [0:100]
plot for [k in "plain bn"] sw('depths', 'depth', k, 'test.') u 1:2:3 w yerrorlines ls (k eq 'bn' ? 2 : 1) pt 7 title TITLE(k)
set title sprintf('saturated hidden outputs (< 0.05 or > 0.95) on %s training images', jval('config.probe'))
set ylabel 'saturated outputs (%)'
set yrange [0:*]
plot for [k in "plain bn"] jdata(sprintf('summary.depths.depth summary.depths.%s.saturated', k)) u 1:2 w lp ls (k eq 'bn' ? 2 : 1) pt 7 title TITLE(k)
unset multiplot
unset logscale x
