# vanishing.gp — figures of results/vanishing.json (experiment: experiments/vanishing.c)
load 'plots/common.gp'

ks = jlist('summary.ks')
NK = words(ks)
NV = int(jval('summary.arms.#'))
aname(v) = jval(sprintf('summary.arms.%d.name', v - 1))
vtitle(v) = jval(sprintf('summary.arms.%d.title', v - 1))
isbook(v) = int(jval(sprintf('summary.arms.%d.book_settings', v - 1))) == 1

# 1. at initialization: ‖∂C/∂b‖ per hidden layer, one curve per k, one panel per variant
call 'plots/figure.gp' 'init' (wide(420*NV+80)) 460
set multiplot layout 1,NV title sprintf('Gradient reaching each hidden layer at initialization: ‖∂C/∂b_l‖ of the mean over %s images (mean ± std, %s seeds)', jval('summary.images'), jval('config.seeds'))
set xlabel 'hidden layer l (1 = next to the input)'
set ylabel '‖∂C/∂b_l‖'
set logscale y
set format y '10^{%L}'
set xtics 1
set key bottom right
do for [v=1:NV] {
    V = aname(v)
    set title vtitle(v) noenhanced
    set xrange [0.7:*]
    if (isbook(v)) {
        plot for [i=0:NK-1] jdata(sprintf('summary.at_init.%s.%d.mean summary.at_init.%s.%d.std', V, i, V, i)) u ($0+1):1:2 w yerrorlines ls i+1 pt 7 title sprintf('k = %s', word(ks, i+1)), \
             for [i=0:NK-1] jdata(sprintf('summary.at_init.%s.%d.book', V, i)) u ($0+1):1 w p pt 6 ps 1.5 lc rgb C[i+1] title sprintf('book, k = %s', word(ks, i+1))
    } else {
        plot for [i=0:NK-1] jdata(sprintf('summary.at_init.%s.%d.mean summary.at_init.%s.%d.std', V, i, V, i)) u ($0+1):1:2 w yerrorlines ls i+1 pt 7 title sprintf('k = %s', word(ks, i+1))
    }
}
unset multiplot
set xtics autofreq

# 2. during full-batch training: every hidden layer of the deepest net, per variant
KI = NK - 1
KD = int(word(ks, NK))
call 'plots/figure.gp' 'epochs' (wide(420*NV+80)) 460
set multiplot layout 1,NV title sprintf('‖∂C/∂b_l‖ per hidden layer during full-batch gradient descent, k = %d (mean over seeds)', KD)
set xlabel 'gradient-descent step (epoch on the fixed images)'
set xrange [0:*]
set key top right
do for [v=1:NV] {
    V = aname(v)
    set title vtitle(v) noenhanced
    plot for [l=0:KD-1] jdata(sprintf('summary.per_epoch.%s.%d.%d.mean', V, KI, l)) u 0:1 w l ls l+1 title sprintf('layer %d', l+1)
}
unset multiplot

# 3. the deep linear chain: ∂a_L/∂a_0 = w^L
call 'plots/figure.gp' 'chain' 700 500
set title 'Deep linear chain a_l = w·a_{l−1}: backpropagated gradient against depth'
set xlabel 'depth L (scalar layers)'
set ylabel '∂a_L / ∂a_0'
set xrange [0:*]
set key bottom left
NW = words(jlist('config.chain_w'))
plot for [i=0:NW-1] jdata(sprintf('summary.chain.%d.depth summary.chain.%d.gradient', i, i)) u 1:2 every 5 w p pt 7 ps 0.7 lc rgb C[i+1] title sprintf('backprop, w = %s', jval(sprintf('summary.chain.%d.w', i))), \
     for [i=0:NW-1] jdata(sprintf('summary.chain.%d.depth summary.chain.%d.closed_form', i, i)) u 1:2 w l ls i+1 dt 2 title sprintf('w^L, w = %s', jval(sprintf('summary.chain.%d.w', i)))
