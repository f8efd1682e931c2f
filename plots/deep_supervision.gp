# deep_supervision.gp — figures of results/deep_supervision.json (experiment: experiments/deep_supervision.c)
# One row of panels per arm (summary.arms).
load 'plots/common.gp'

NA = int(jval('summary.arms.#'))
NS = jval('config.seeds')
A(a, k) = sprintf('summary.arms.%d.%s', a, k)
NL(a) = int(jval(A(a, 'layers.#')))
NP(a) = int(jval(A(a, 'probed.#')))
lname(a, l) = jval(sprintf('%s.%d', A(a, 'layers'), l))
V(i) = i == 0 ? 'plain' : 'heads'
vt(i) = i == 0 ? 'without the head' : 'with the side head'

# 1. Lee et al. Fig. 3: mean |∂/∂W| and |∂/∂b| of every layer over training, with and without the head
call 'plots/figure.gp' 'gradient' 1100 (440*NA+60)
set multiplot layout NA,2 title sprintf('Mean |gradient| of every layer over training: with the side head (solid) and without (dashed), mean over %s seeds', NS)
set xlabel 'epoch'
set logscale y
set format y '10^{%L}'
set key inside bottom left horizontal maxrows 2 font ',9'
set xrange [0.8:*]
set xtics 1
do for [a=0:NA-1] {
    do for [q=0:1] {
        W = q == 0 ? 'mean_abs_dW' : 'mean_abs_db'
        set title sprintf('%s: (%s) %s', jval(A(a, 'name')), q == 0 ? 'a' : 'b', q == 0 ? 'weights, mean |∂/∂W|' : 'biases, mean |∂/∂b|') noenhanced
        set ylabel q == 0 ? 'mean |∂/∂W| over the epoch' : 'mean |∂/∂b| over the epoch'
        plot for [l=0:NL(a)-1] jdata(sprintf('%s.%d.mean', A(a, 'heads.'.W), l)) u ($0+1):1 w lp ls l%9+1 pt 7 ps 0.6 title lname(a, l), \
             for [l=0:NL(a)-1] jdata(sprintf('%s.%d.mean', A(a, 'plain.'.W), l)) u ($0+1):1 w lp ls l%9+1 dt 2 pt 6 ps 0.6 notitle, \
             jdata(sprintf('%s.0.mean', A(a, 'heads.main_loss_'.W))) u ($0+1):1 w lp ls 7 dt 3 pt 4 ps 0.8 title sprintf('%s, main loss alone (with head)', lname(a, 0))
    }
}
unset multiplot
unset logscale y
set format y '% g'

# 2. how discriminative each layer's features are: the linear probes
call 'plots/figure.gp' 'probes' (wide(560*NA+60)) 480
set multiplot layout 1,NA title sprintf('Test accuracy of a linear probe on each layer''s frozen features, mean ± std over %s seeds', NS)
set xlabel 'layer whose features the probe reads'
set ylabel 'probe test accuracy (%)'
set key inside bottom right vertical maxrows auto font ',10'
set yrange [*:100.5]   # accuracies are at most 100; a flat 100 % stays a visible range
do for [a=0:NA-1] {
    set title jval(A(a, 'title')) noenhanced
    set xrange [-0.5:NP(a)-0.5]
    set xtics () 
    do for [l=0:NP(a)-1] { set xtics add (jval(sprintf('%s.%d', A(a, 'probed'), l)) l) }
    plot for [i=0:1] jdata(sprintf('%s %s', A(a, V(i).'.probe_acc.mean'), A(a, V(i).'.probe_acc.std'))) \
         u ($0 + (i - 0.5) * 0.12):1:2 w yerrorbars ls i+1 pt 7 ps 1.2 title vt(i)
}
unset multiplot
set xtics autofreq

# 3. test and training accuracy of the main output
call 'plots/figure.gp' 'accuracy' (wide(560*NA+60)) 480
set multiplot layout 1,NA title sprintf('Accuracy of the main output: test (solid) and training (dashed), mean and lowest–highest seed over %s seeds', NS)
set xlabel 'epoch'
set ylabel 'accuracy (%)'
set yrange [*:100.5]
set xtics 1
set key inside bottom right vertical maxrows auto font ',10'
set xrange [0.8:*]
do for [a=0:NA-1] {
    set title jval(A(a, 'title')) noenhanced
    plot for [i=0:1] jdata(sprintf('%s %s', A(a, V(i).'.test_acc.min'), A(a, V(i).'.test_acc.max'))) u ($0+1):(100*$1):(100*$2) w filledcurves lc rgb C[i+1] notitle, \
         for [i=0:1] jdata(A(a, V(i).'.test_acc.mean')) u ($0+1):(100*$1) w lp ls i+1 pt 7 title sprintf('test, %s', vt(i)), \
         for [i=0:1] jdata(A(a, V(i).'.train_acc.mean')) u ($0+1):(100*$1) w l ls i+1 dt 2 title sprintf('training, %s', vt(i))
}
unset multiplot
