# cnn.gp — figures of results/cnn.json (experiment: experiments/cnn.c)
# Conditions: data set × arm, in that order (group the data set, x the arm's index, name DATA-ARM). One panel per
# data set, one curve per arm; the filters and maps are those the first seed of one condition per data set recorded
# (the first arm with a conv layer: n_feature_image > 0 there).
load 'plots/common.gp'

ND = words(GROUPS)
NA = NCOND / ND
dname(d) = word(GROUPS, d + 1)
I(d, a) = d * NA + a + 1                                  # the condition of data set d and arm a (both from 0)
aname(i) = COND_NAME[i][strlen(COND_GROUP[i]) + 2:]
alabel(i) = sprintf('%s (%.0fk parameters, %.2g M multiply-adds)', aname(i), mean_params[i]/1000, mean_macs_per_image[i]/1e6)

# per data set, the condition that recorded the filters and maps (0: none) and its cell (index in the MS files)
array FC[ND]
do for [d=1:ND] {
    FC[d] = 0
    do for [i=NCOND:1:-1] { if (exists('n_feature_image') && COND_GROUP[i] eq dname(d - 1) && n_feature_image[i] > 0) { FC[d] = i } }
}
cell(d) = (FC[d + 1] - 1) * NSEEDS
# the shapes of the conv and pool layers' maps (series over the layers), read before any range is set: layer k of
# data set d has MN maps of MH × MW, MP 1 for a pooling layer, at [d·NM + k]
array NL[ND]
NM = 1
do for [d=1:ND] {
    NL[d] = 0
    if (FC[d] > 0) { stats MS('map_h') index cell(d - 1) u 2 nooutput; NL[d] = STATS_records; NM = NL[d] > NM ? NL[d] : NM }
}
array MN[ND * NM]
array MH[ND * NM]
array MW[ND * NM]
array MP[ND * NM]
do for [d=0:ND-1] {
    if (FC[d + 1] > 0) {
        stats MS('map_maps') index cell(d) u (MN[d * NM + int($1)] = $2) nooutput
        stats MS('map_h') index cell(d) u (MH[d * NM + int($1)] = $2) nooutput
        stats MS('map_w') index cell(d) u (MW[d * NM + int($1)] = $2) nooutput
        stats MS('map_pool') index cell(d) u (MP[d * NM + int($1)] = $2) nooutput
    }
}

# 1. test accuracy over the epochs
call 'plots/figure.gp' 'accuracy' (wide(560*ND+60)) 500
set multiplot layout 1,ND title sprintf('Test accuracy per epoch, mean and lowest–highest seed over %d seeds', NSEEDS)
set xlabel 'epoch'
set ylabel 'test accuracy (%)'
set yrange [*:100.5]   # a flat 100 % stays a visible range
set key inside bottom right font ',9'
set xrange [0.8:*]
do for [d=0:ND-1] {
    set title sprintf('%s (%d training images, %d test)', dname(d), mean_train_images[I(d, 0)], mean_test_images[I(d, 0)]) noenhanced
    plot for [a=0:NA-1] M('history.test_acc') index (I(d, a) - 1) u 1:(100*$4):(100*$5) w filledcurves lc rgb C[a%9+1] notitle, \
         for [a=0:NA-1] M('history.test_acc') index (I(d, a) - 1) u 1:(100*$2) w lp ls a%9+1 pt 7 ps 0.6 title alabel(I(d, a))
}
unset multiplot

# maps laid out G per row, gap pixels apart; pixel p of map m at column (m % G)·(w + gap) + j, row ⌊m/G⌋·(h + gap) + i
# (p is t − 1 of an MS block)
mx(p, h, w, G) = (int(p)/(h*w) % G) * (w + 1) + (int(p) % (h*w)) % w
my(p, h, w, G) = -((int(p)/(h*w) / G) * (h + 1) + (int(p) % (h*w)) / w)
unset xlabel
unset ylabel
unset xtics
unset ytics
unset border
unset grid
unset key
set size ratio -1
set autoscale xy
set autoscale fix
set offsets 0.5, 0.5, 0.5, 0.5
set palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')
set cbrange [-1:1]
unset colorbox

# 2. the first conv layer's filters (conv1: layers are named after their kind and count), one panel per data set
call 'plots/figure.gp' 'filters' (wide(520*ND+60)) 420
set multiplot layout 1,ND title sprintf("First-layer filters of the CNN after training (seed %d), each scaled to its largest |weight|: red positive, blue negative", cfg_seed)
do for [d=0:ND-1] {
    if (FC[d + 1] == 0) { set multiplot next } else {
        i = FC[d + 1]; h = int(mean_filters_k[i]); w = h; G = 5
        set title sprintf('%s: conv1 of %s, %d filters %d×%d', dname(d), aname(i), mean_filters_maps[i], h, w) noenhanced
        plot MS('filters') index cell(d) u (mx($1 - 1, h, w, G)):(my($1 - 1, h, w, G)):(0.5):(0.5):2 w boxxy fs solid 1.0 noborder fc palette
    }
}
unset multiplot

# 3. one test image through the CNN: the input and every conv and pool layer's maps
call 'plots/figure.gp' 'features' (wide(560*ND+60)) (260*(NM+1)+40)
set multiplot layout NM+1,ND columnsfirst title 'One test image through the trained CNN: the input, then each conv and pool layer’s maps (each scaled to its largest |value|)'
do for [d=0:ND-1] {
    i = FC[d + 1]
    if (i == 0) { set multiplot next } else {
        set title sprintf('%s: test image %d (label %d)', dname(d), mean_feature_image[i], mean_feature_label[i]) noenhanced
        h = int(mean_input_h[i]); w = int(mean_input_w[i])
        plot MS('input') index cell(d) u (mx($1 - 1, h, w, 1)):(my($1 - 1, h, w, 1)):(0.5):(0.5):2 w boxxy fs solid 1.0 noborder fc palette
    }
    nconv = 0; npool = 0
    do for [k=1:NM] {
        if (k > NL[d + 1]) { set multiplot next } else {
            q = d * NM + k
            h = int(MH[q]); w = int(MW[q]); n = int(MN[q]); G = 10
            if (MP[q]) { npool = npool + 1; layer = sprintf('pool%d', npool) } else { nconv = nconv + 1; layer = sprintf('conv%d', nconv) }
            set title sprintf('%s: %d maps %d×%d', layer, n, h, w) noenhanced
            plot MS(sprintf('map%d', k)) index cell(d) u (mx($1 - 1, h, w, G)):(my($1 - 1, h, w, G)):(0.5):(0.5):2 w boxxy fs solid 1.0 noborder fc palette
        }
    }
}
unset multiplot
