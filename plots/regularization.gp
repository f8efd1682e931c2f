# regularization.gp — figures of results/regularization.json (experiment: experiments/regularization.c)
load 'plots/common.gp'

keys = 'none l2 dropout both'
name(k) = k eq 'none' ? 'no regularization' : k eq 'l2' ? sprintf('L2, λ = %s', jval('config.lambda')) : k eq 'dropout' ? sprintf('dropout, p = %s', jval('config.p_drop')) : 'L2 + dropout'
cv(k) = jdata(sprintf('summary.curves.%s.train_acc.mean summary.curves.%s.test_acc.mean', k, k))

call 'plots/figure.gp' 'accuracy' 900 520
set title sprintf('%s training images, %d × %s hidden units: train (dashed) and test (solid) accuracy, mean over %s seeds', \
    jval('dataset.train'), words(jlist('config.hidden')), word(jlist('config.hidden'), 1), jval('config.seeds')) noenhanced
set xlabel 'epoch'
set ylabel 'accuracy (%)'
set yrange [80:100.5]
set key bottom right
plot for [i=1:4] cv(word(keys, i)) u ($0+1):(100*$2) w l ls i title name(word(keys, i)), \
     for [i=1:4] cv(word(keys, i)) u ($0+1):(100*$1) w l ls i dt 2 notitle

call 'plots/figure.gp' 'gap' 700 480
set title 'Overfitting: train minus test accuracy per epoch'
set ylabel 'gap (percentage points)'
set yrange [*:*]
set key top left
plot for [i=1:4] cv(word(keys, i)) u ($0+1):(100*($1-$2)) w l ls i title name(word(keys, i))
