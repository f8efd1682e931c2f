# normalization.gp — figures of results/normalization.json (experiment: experiments/normalization.c)
# A condition is one net, named after how it differs from the base net: 'plain' (no batch norm) or 'bn', then
# -depthD, -relu, -lrη, -initF, -std, -small, -batchB, -epochsE where that setting is not the base's (C's %g);
# a net two sweeps share is one condition. A sweep's point is found by that name.
load 'plots/common.gp'

NET = sprintf('%d x %d %s, SGD, batch %d', cfg_depth, cfg_width, cfg_activation, cfg_batch)
TITLE(k) = k eq 'bn' ? 'batch norm' : 'no batch norm'
min(a, b) = a < b ? a : b
PROBE = min(cfg_probe, DATA_TRAIN)     # the images the probes ran on
SMALL = min(cfg_reg_n_train, DATA_TRAIN)
find(n) = sum [i=1:NCOND] (COND_NAME[i] eq n ? i : 0)
# the condition of sweep s ('lr', 'init', 'batch', 'depth') at x, without (k = 'plain') or with batch norm ('bn')
name(k, s, x) = k . (s eq 'lr' ? (x == cfg_lr ? '' : sprintf('-lr%g', x)) : \
                     s eq 'init' ? (x == cfg_init_scale ? '' : sprintf('-init%g', x)) : \
                     s eq 'depth' ? (x == cfg_depth ? '' : sprintf('-depth%d', x)) : \
                     '-small' . (x == cfg_batch ? '' : sprintf('-batch%d', x)) . (cfg_reg_epochs == cfg_epochs ? '' : sprintf('-epochs%d', cfg_reg_epochs)))
f(v) = v == v ? sprintf('%.10g', v) : 'NaN'
# $SW: one block per sweep and kind (index 2·(sweep − 1) + kind, plain first): x, test accuracy mean and std,
# training accuracy mean, saturated share mean
SWEEPS = 'lr init batch depth'
array XS[4] = [cfg_lrs, cfg_init_scales, cfg_batches, cfg_depths]
set print $SW
do for [w=1:4] {
    do for [k in 'plain bn'] {
        do for [x in XS[w]] {
            i = find(name(k, word(SWEEPS, w), x + 0))
            print sprintf('%s %s %s %s %s', x, f(mean_test_acc[i]), f(std_test_acc[i]), f(mean_train_acc[i]), f(mean_saturated_pct[i]))
        }
        print ''
        print ''
    }
}
unset print
sw(w, k) = 2 * (w - 1) + (k eq 'bn')

# 1. the rate sweep and the init sweep
call 'plots/figure.gp' 'sweeps' 1100 460
set multiplot layout 1,2 title sprintf('%s, %d epochs: final test accuracy, mean ± std over %d seeds', NET, cfg_epochs, NSEEDS)
set ylabel 'final test accuracy (%)'
set yrange [0:100]
set logscale x
set key bottom left
set title 'learning rate sweep'
set xlabel 'learning rate η'
plot for [k in "plain bn"] $SW index sw(1, k) u 1:2:3 w yerrorlines ls (k eq 'bn' ? 2 : 1) pt 7 title TITLE(k)
set title sprintf('init sweep: %s × factor', cfg_init) noenhanced
set xlabel 'factor on the init standard deviation'
plot for [k in "plain bn"] $SW index sw(2, k) u 1:2:3 w yerrorlines ls (k eq 'bn' ? 2 : 1) pt 7 title TITLE(k)
unset multiplot
unset logscale x

# 2. variants of batch norm itself
call 'plots/figure.gp' 'variants' 1200 460
set multiplot layout 1,2 title sprintf('%s, η = %g, %d epochs: batch norm taken apart (mean ± std over %d seeds)', NET, cfg_lr, cfg_epochs, NSEEDS)
VN = 'plain bn bn-held bn-after bn-const'
array VT[5] = ['no BN', 'BN before act.', 'γ, β held', 'BN after act.', 'μ, σ² constant']
set print $V
do for [j=1:5] {
    i = find(word(VN, j))
    print sprintf('%d %s %s %s %s', j - 1, f(mean_test_acc[i]), f(std_test_acc[i]), f(mean_train_loss[i]), f(std_train_loss[i]))
}
unset print
unset xlabel
set xtics () noenhanced
do for [j=1:5] { set xtics add (VT[j] j - 1) }
set xrange [-0.6:4.6]
set style fill solid 0.6 noborder
set boxwidth 0.6
unset key
set title 'final test accuracy (%)'
set ylabel 'test accuracy (%)'
set yrange [*:*]
plot $V u 1:2 w boxes lc rgb C[1], '' u 1:2:3 w yerrorbars lc rgb '#333333' pt -1
set title sprintf('final training loss (first %d training images)', PROBE)
set ylabel 'training loss (nats)'
set yrange [0:*]
plot $V u 1:4 w boxes lc rgb C[2], '' u 1:4:5 w yerrorbars lc rgb '#333333' pt -1
unset multiplot
set xtics autofreq norotate
set xrange [*:*]
set style fill transparent solid 0.2 noborder

# 3. batch norm as a regularizer: batch sizes on a small training set
call 'plots/figure.gp' 'batches' 900 480
set title sprintf("%d x %d %s, SGD, η = %g, trained on the first %d images for %d epochs at each mini-batch size:\ntest accuracy (solid, mean ± std over %d seeds) and training accuracy (dashed)", \
    cfg_depth, cfg_width, cfg_activation, cfg_lr, SMALL, cfg_reg_epochs, NSEEDS)
set xlabel 'mini-batch size'
set ylabel 'accuracy (%)'
set logscale x
if (words(cfg_batches) == 1) { set xrange [word(cfg_batches, 1) / 2.0 : word(cfg_batches, 1) * 2.0] } else { set xrange [*:*] }
set yrange [*:100.5]
set key center right
plot for [k in "plain bn"] $SW index sw(3, k) u 1:2:3 w yerrorlines ls (k eq 'bn' ? 2 : 1) pt 7 title TITLE(k).': test', \
     for [k in "plain bn"] $SW index sw(3, k) u 1:4 w lp ls (k eq 'bn' ? 2 : 1) dt 2 pt 6 title TITLE(k).': training'
unset logscale x
set xrange [*:*]

# 4. depth: accuracy and saturated units
call 'plots/figure.gp' 'depths' 1100 460
set multiplot layout 1,2 title sprintf('%d-unit %s layers, η = %g, %d epochs (mean over %d seeds)', cfg_width, cfg_activation, cfg_lr, cfg_epochs, NSEEDS)
set xlabel 'hidden layers'
set logscale x 2
set key top right
set title 'final test accuracy (%), ± std'
set ylabel 'test accuracy (%)'
set yrange [0:100]
plot for [k in "plain bn"] $SW index sw(4, k) u 1:2:3 w yerrorlines ls (k eq 'bn' ? 2 : 1) pt 7 title TITLE(k)
set title sprintf('saturated hidden outputs (< 0.05 or > 0.95) on %d training images', PROBE)
set ylabel 'saturated outputs (%)'
set yrange [0:*]
plot for [k in "plain bn"] $SW index sw(4, k) u 1:5 w lp ls (k eq 'bn' ? 2 : 1) pt 7 title TITLE(k)
unset multiplot
unset logscale x
