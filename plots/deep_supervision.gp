# deep_supervision.gp — figures of results/deep_supervision.json (experiment: experiments/deep_supervision.c)
# Conditions: per arm its plain net (name "<arm>-plain", group plain) and its net with the heads ("<arm>-heads",
# group heads), in this order. Each label ends in "(layers L…; probed P…)": the trunk's layers with parameters and
# the probed nodes, whose names name the measures (mean_abs_dW.L, probe_acc.P, …). One row of panels per arm.
load 'plots/common.gp'

NA = NCOND / 2
K(a, i) = 2 * a + i + 1          # arm a's (from 0) plain net (i = 0) or net with heads (i = 1), 1-based
# the last place of t in s (0: none): an arm's title may hold anything
rfind(s, t) = strstrt(s, t) == 0 ? 0 : strstrt(s, t) + rfind(s[strstrt(s, t) + 1:], t)
TAIL = ', without the head (layers '
LB(a) = COND_LABEL[K(a, 0)]
AT(a) = rfind(LB(a), TAIL)
atitle(a) = LB(a)[1:AT(a) - 1]
aname(a) = COND_NAME[K(a, 0)][1:strlen(COND_NAME[K(a, 0)]) - strlen('-plain')]
lists(a) = LB(a)[AT(a) + strlen(TAIL):strlen(LB(a)) - 1]
layers(a) = lists(a)[1:strstrt(lists(a), '; probed ') - 1]
probed(a) = lists(a)[strstrt(lists(a), '; probed ') + strlen('; probed '):]
vt(i) = i == 0 ? 'without the head' : 'with the side head'

# 1. Lee et al. Fig. 3: mean |∂/∂W| and |∂/∂b| of every layer over training, with and without the head
call 'plots/figure.gp' 'gradient' 1100 (440*NA+60)
set multiplot layout NA,2 title sprintf('Mean |gradient| of every layer over training: with the side head (solid) and without (dashed), mean over %d seeds', NSEEDS)
set xlabel 'epoch'
set logscale y
set format y '10^{%L}'
set key inside bottom left horizontal maxrows 2 font ',9'
set xrange [0.8:*]
set xtics 1
do for [a=0:NA-1] {
    L = layers(a)
    do for [q=0:1] {
        W = q == 0 ? 'mean_abs_dW' : 'mean_abs_db'
        set title sprintf('%s: (%s) %s', aname(a), q == 0 ? 'a' : 'b', q == 0 ? 'weights, mean |∂/∂W|' : 'biases, mean |∂/∂b|') noenhanced
        set ylabel q == 0 ? 'mean |∂/∂W| over the epoch' : 'mean |∂/∂b| over the epoch'
        # a series per layer: one block per condition (index from 0), t mean std min max n
        plot for [l=1:words(L)] M(W.'.'.word(L, l)) index (K(a, 1) - 1) u 1:2 w lp ls (l-1)%9+1 pt 7 ps 0.6 title word(L, l), \
             for [l=1:words(L)] M(W.'.'.word(L, l)) index (K(a, 0) - 1) u 1:2 w lp ls (l-1)%9+1 dt 2 pt 6 ps 0.6 notitle, \
             M('main_loss_'.W.'.'.word(L, 1)) index (K(a, 1) - 1) u 1:2 w lp ls 7 dt 3 pt 4 ps 0.8 title sprintf('%s, main loss alone (with head)', word(L, 1))
    }
}
unset multiplot
unset logscale y
set format y '% g'

# 2. how discriminative each layer's features are: the linear probes
call 'plots/figure.gp' 'probes' (wide(560*NA+60)) 480
set multiplot layout 1,NA title sprintf('Test accuracy of a linear probe on each layer''s frozen features, mean ± std over %d seeds', NSEEDS)
set xlabel 'layer whose features the probe reads'
set ylabel 'probe test accuracy (%)'
set key inside bottom right vertical maxrows auto font ',10'
set yrange [*:100.5]   # accuracies are at most 100; a flat 100 % stays a visible range
do for [a=0:NA-1] {
    set title atitle(a) noenhanced
    P = probed(a)
    set xrange [-0.5:words(P)-0.5]
    set xtics () 
    do for [l=1:words(P)] { set xtics add (word(P, l) l-1) }
    # probe_acc.P: one row per condition, i x mean std min max n
    plot for [i=0:1] for [l=1:words(P)] M('probe_acc.'.word(P, l)) every ::(K(a, i) - 1)::(K(a, i) - 1) \
         u (l - 1 + (i - 0.5) * 0.12):3:4 w yerrorbars ls i+1 pt 7 ps 1.2 title (l == 1 ? vt(i) : '')
}
unset multiplot
set xtics autofreq

# 3. test and training accuracy of the main output
call 'plots/figure.gp' 'accuracy' (wide(560*NA+60)) 480
set multiplot layout 1,NA title sprintf('Accuracy of the main output: test (solid) and training (dashed), mean and lowest–highest seed over %d seeds', NSEEDS)
set xlabel 'epoch'
set ylabel 'accuracy (%)'
set yrange [*:100.5]
set xtics 1
set key inside bottom right vertical maxrows auto font ',10'
set xrange [0.8:*]
do for [a=0:NA-1] {
    set title atitle(a) noenhanced
    # history.FIELD: one block per condition, t mean std min max n; x is the row's place, not t, which the converter
    # takes from the first seed's record (NaN past its end when that seed diverged)
    plot for [i=0:1] M('history.test_acc') index (K(a, i) - 1) u ($0+1):(100*$4):(100*$5) w filledcurves lc rgb C[i+1] notitle, \
         for [i=0:1] M('history.test_acc') index (K(a, i) - 1) u ($0+1):(100*$2) w lp ls i+1 pt 7 title sprintf('test, %s', vt(i)), \
         for [i=0:1] M('history.train_acc') index (K(a, i) - 1) u ($0+1):(100*$2) w l ls i+1 dt 2 title sprintf('training, %s', vt(i))
}
unset multiplot
