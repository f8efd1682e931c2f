# cnn.gp — figures of results/cnn.json (experiment: experiments/cnn.c)
# One panel per data set (summary.datasets), one curve per arm.
load 'plots/common.gp'

ND = int(jval('summary.datasets.#'))
NA = int(jval('summary.datasets.0.arms.#'))
dname(d) = jval(sprintf('summary.datasets.%d.name', d))
aname(d, a) = jval(sprintf('summary.datasets.%d.arms.%d.name', d, a))
P(d, a, k) = sprintf('summary.datasets.%d.arms.%d.%s', d, a, k)
alabel(d, a) = sprintf('%s (%.0fk parameters, %.2g M multiply-adds)', aname(d, a), jval(P(d, a, 'params'))/1000, jval(P(d, a, 'macs_per_image'))/1e6)

# 1. test accuracy over the epochs
call 'plots/figure.gp' 'accuracy' (wide(560*ND+60)) 500
set multiplot layout 1,ND title sprintf('Test accuracy per epoch, mean and lowest–highest seed over %s seeds', jval('config.seeds'))
set xlabel 'epoch'
set ylabel 'test accuracy (%)'
set yrange [*:100.5]   # a flat 100 % stays a visible range
set key inside bottom right font ',9'
set xrange [0.8:*]
do for [d=0:ND-1] {
    set title sprintf('%s (%s training images, %s test)', dname(d), jval(sprintf('summary.datasets.%d.train', d)), jval(sprintf('summary.datasets.%d.test', d))) noenhanced
    plot for [a=0:NA-1] jdata(sprintf('%s %s', P(d, a, 'test_acc.min'), P(d, a, 'test_acc.max'))) u ($0+1):(100*$1):(100*$2) w filledcurves lc rgb C[a%9+1] notitle, \
         for [a=0:NA-1] jdata(P(d, a, 'test_acc.mean')) u ($0+1):(100*$1) w lp ls a%9+1 pt 7 ps 0.6 title alabel(d, a)
}
unset multiplot

# maps laid out G per row, gap pixels apart; pixel p of map m at column (m % G)·(w + gap) + j, row ⌊m/G⌋·(h + gap) + i
F(d) = sprintf('summary.datasets.%d.features', d)
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

# 2. the first conv layer's filters, one panel per data set
call 'plots/figure.gp' 'filters' (wide(520*ND+60)) 420
set multiplot layout 1,ND title sprintf("First-layer filters of the CNN after training (seed %s), each scaled to its largest |weight|: red positive, blue negative", jval(F(0).'.seed'))
do for [d=0:ND-1] {
    h = int(jval(F(d).'.filters.h')); w = int(jval(F(d).'.filters.w')); G = 5
    set title sprintf('%s: %s of %s, %s filters %d×%d', dname(d), jval(F(d).'.filters_of'), jval(F(d).'.arm'), jval(F(d).'.filters.maps'), h, w) noenhanced
    plot jdata(F(d).'.filters.values') u (mx($0, h, w, G)):(my($0, h, w, G)):(0.5):(0.5):1 w boxxy fs solid 1.0 noborder fc palette
}
unset multiplot

# 3. one test image through the CNN: the input and every conv and pool layer's maps
NM = int(jval(F(0).'.maps.#'))
call 'plots/figure.gp' 'features' (wide(560*ND+60)) (260*(NM+1)+40)
set multiplot layout NM+1,ND columnsfirst title 'One test image through the trained CNN: the input, then each conv and pool layer’s maps (each scaled to its largest |value|)'
do for [d=0:ND-1] {
    set title sprintf('%s: test image %s (label %s)', dname(d), jval(F(d).'.image'), jval(F(d).'.label')) noenhanced
    plot jdata(F(d).'.input.values') u (mx($0, 28, 28, 1)):(my($0, 28, 28, 1)):(0.5):(0.5):1 w boxxy fs solid 1.0 noborder fc palette
    do for [k=0:NM-1] {
        M = sprintf('%s.maps.%d', F(d), k)
        h = int(jval(M.'.h')); w = int(jval(M.'.w')); n = int(jval(M.'.maps')); G = 10
        set title sprintf('%s: %d maps %d×%d', jval(M.'.layer'), n, h, w) noenhanced
        plot jdata(M.'.values') u (mx($0, h, w, G)):(my($0, h, w, G)):(0.5):(0.5):1 w boxxy fs solid 1.0 noborder fc palette
    }
}
unset multiplot
