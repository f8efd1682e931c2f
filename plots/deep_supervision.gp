# deep_supervision.gp — figures of results/deep_supervision.json (experiment: experiments/deep_supervision.c)
# One panel per arm (summary.arms).
load 'plots/common.gp'

NA = int(jval('summary.arms.#'))
atitle(a) = jval(sprintf('summary.arms.%d.title', a))
K(a) = int(jval(sprintf('summary.arms.%d.hidden_layers', a)))
vt(v) = v eq 'plain' ? 'without heads' : sprintf('with heads (α from %s to 0)', jval('config.head_alpha'))
V(i) = i == 0 ? 'plain' : 'heads'

# 1. mean |∂/∂W| per layer in the first and the last epoch (the lecture's figure)
call 'plots/figure.gp' 'gradient' (wide(560*NA+60)) 520
set multiplot layout 1,NA title sprintf("Mean |∂/∂W| per layer, first and last epoch (mean over %s seeds)", jval('config.seeds'))
set ylabel 'mean |∂/∂W| over the epoch'
set logscale y
set format y '10^{%L}'
set xtics 1
set key bottom right font ',9'
do for [a=0:NA-1] {
    set title atitle(a) noenhanced
    set xlabel sprintf('layer (1 = next to the input, %d = output)', K(a)+1)
    set xrange [0.7:K(a)+1.3]
    plot for [i=0:1] jdata(sprintf('summary.arms.%d.%s.first_epoch', a, V(i))) u ($0+1):1 w lp ls i+1 pt 7 title sprintf('%s, epoch 1', vt(V(i))), \
         for [i=0:1] jdata(sprintf('summary.arms.%d.%s.last_epoch', a, V(i))) u ($0+1):1 w lp ls i+1 dt 2 pt 6 title sprintf('%s, last epoch', vt(V(i))), \
         jdata(sprintf('summary.arms.%d.heads.main_loss_first_epoch', a)) u ($0+1):1 w lp ls 3 pt 4 title 'with heads: main loss alone, epoch 1'
}
unset multiplot

# 2. every layer over the epochs: one row per arm, without and with heads
call 'plots/figure.gp' 'layers' 1100 (380*NA+40)
set multiplot layout NA,2 title 'Mean |∂/∂W| of the trained objective per layer over training (mean over seeds)'
set xlabel 'epoch'
set xrange [0.8:*]
set xtics autofreq
set key outside right font ',9'
do for [a=0:NA-1] {
    do for [i=0:1] {
        set title sprintf('%s — %s', atitle(a), vt(V(i))) noenhanced
        plot for [l=0:K(a)] jdata(sprintf('summary.arms.%d.%s.mean_abs_grad.%d.mean', a, V(i), l)) u ($0+1):1 w lp ls l%9+1 pt 7 ps 0.5 title (l < K(a) ? sprintf('layer %d', l+1) : 'output')
    }
}
unset multiplot
unset logscale y
set format y '% g'

# 3. test accuracy
call 'plots/figure.gp' 'accuracy' (wide(520*NA+60)) 480
set multiplot layout 1,NA title sprintf('Test accuracy of the main output, mean ± std over %s seeds', jval('config.seeds'))
set xlabel 'epoch'
set ylabel 'test accuracy (%)'
set yrange [0:100]
set key inside bottom right font ',10'
do for [a=0:NA-1] {
    set title atitle(a) noenhanced
    plot for [i=0:1] jdata(sprintf('summary.arms.%d.%s.test_acc.mean summary.arms.%d.%s.test_acc.std', a, V(i), a, V(i))) u ($0+1):(100*($1-$2)):(100*($1+$2)) w filledcurves lc rgb C[i+1] notitle, \
         for [i=0:1] jdata(sprintf('summary.arms.%d.%s.test_acc.mean', a, V(i))) u ($0+1):(100*$1) w lp ls i+1 pt 7 title vt(V(i))
}
unset multiplot
