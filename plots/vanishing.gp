# vanishing.gp — figures of results/vanishing.json (experiment: experiments/vanishing.c)
# Conditions: each arm's nets, one per k of 'ks' (arm-major, x = k, label "<arm's title>, k = K"), then the deep
# linear chain, one per w of 'chain_w' (computed in the first seed's cell).
load 'plots/common.gp'

ks = cfg_ks
NK = words(ks)
NW = words(cfg_chain_w)
NV = (NCOND - NW) / NK
cond(v, j) = (v - 1) * NK + j                  # arm v's net with the j-th k (1-based)
suffix(i) = sprintf(', k = %d', COND_X[i])
vtitle(v) = COND_LABEL[cond(v, 1)][1:strlen(COND_LABEL[cond(v, 1)]) - strlen(suffix(cond(v, 1)))]
isbook(v) = mean_book_settings[cond(v, 1)] == 1
images = cfg_images < DATA_TRAIN ? cfg_images : DATA_TRAIN

# 1. at initialization: ‖∂C/∂b‖ per hidden layer, one curve per k, one panel per variant
call 'plots/figure.gp' 'init' (wide(420*NV+80)) 460
set multiplot layout 1,NV title sprintf('Gradient reaching each hidden layer at initialization: ‖∂C/∂b_l‖ of the mean over %d images (mean ± std, %d seeds)', images, NSEEDS)
set xlabel 'hidden layer l (1 = next to the input)'
set ylabel '‖∂C/∂b_l‖'
set logscale y
set format y '10^{%L}'
set xtics 1
set key bottom right
do for [v=1:NV] {
    set title vtitle(v) noenhanced
    set xrange [0.7:*]
    if (isbook(v)) {
        plot for [j=1:NK] M('grad_b_norm_at_init') index (cond(v, j) - 1) u 1:2:3 w yerrorlines ls j pt 7 title sprintf('k = %s', word(ks, j)), \
             for [j=1:NK] M('book') index (cond(v, j) - 1) u 1:2 w p pt 6 ps 1.5 lc rgb C[j] title sprintf('book, k = %s', word(ks, j))
    } else {
        plot for [j=1:NK] M('grad_b_norm_at_init') index (cond(v, j) - 1) u 1:2:3 w yerrorlines ls j pt 7 title sprintf('k = %s', word(ks, j))
    }
}
unset multiplot
set xtics autofreq

# 2. during full-batch training: every hidden layer of the deepest net, per variant
KD = int(word(ks, NK))
call 'plots/figure.gp' 'epochs' (wide(420*NV+80)) 460
set multiplot layout 1,NV title sprintf('‖∂C/∂b_l‖ per hidden layer during full-batch gradient descent, k = %d (mean over seeds)', KD)
set xlabel 'gradient-descent step (epoch on the fixed images)'
set xrange [0:*]
set key top right
do for [v=1:NV] {
    set title vtitle(v) noenhanced
    plot for [l=1:KD] M(sprintf('grad_b_norm_layer%d', l)) index (cond(v, NK) - 1) u ($1 - 1):2 w l ls l title sprintf('layer %d', l)
}
unset multiplot

# 3. the deep linear chain: ∂a_L/∂a_0 = w^L
call 'plots/figure.gp' 'chain' 700 500
set title 'Deep linear chain a_l = w·a_{l−1}: backpropagated gradient against depth'
set xlabel 'depth L (scalar layers)'
set ylabel '∂a_L / ∂a_0'
set xrange [0:*]
set key bottom left
chain(i) = (NV * NK + i - 1) * NSEEDS          # the first seed's cell of the chain with the i-th w
plot for [i=1:NW] MS('gradient') index chain(i) u 1:2 every 5 w p pt 7 ps 0.7 lc rgb C[i] title sprintf('backprop, w = %s', word(cfg_chain_w, i)), \
     for [i=1:NW] MS('closed_form') index chain(i) u 1:2 w l ls i dt 2 title sprintf('w^L, w = %s', word(cfg_chain_w, i))
