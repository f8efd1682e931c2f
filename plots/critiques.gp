# critiques.gp — figures of results/critiques.json (experiment: experiments/critiques.c)
# The conditions, in this order: invariance (group invariance), one per factor k of ab_factors (group
# effective_rate, x = η·k), none, bn, noisy_bn (group santurkar, x = 0, 1, 2) and deep-plain, deep-bn,
# deep-agc (group brock, x = 0, 1, 2; labelled 'deep …'). A scalar measure's file has a row per condition
# (i from 0): a figure takes its group's rows with `every ::first(g)::last(g)`.
load 'plots/common.gp'
SEEDS = NSEEDS
# the diverged-runs notice (plots/figure.gp) counts training runs: the invariance condition's cells train no net
NRUNS = NRUNS - NSEEDS
set style fill solid 0.6 noborder
set boxwidth 0.6
# the first and last row (0-based) of a group's conditions
array FIRST[3]
array LAST[3]
G3 = 'effective_rate santurkar brock'
do for [g=1:3] {
    FIRST[g] = -1
    do for [i=1:NCOND] {
        if (COND_GROUP[i] eq word(G3, g)) { LAST[g] = i - 1; if (FIRST[g] < 0) { FIRST[g] = i - 1 } }
    }
}
A0 = FIRST[1]; A1 = LAST[1]; B0 = FIRST[2]; B1 = LAST[2]; C0 = FIRST[3]; C1 = LAST[3]

# 1. van Laarhoven: the same ηλ, different η — the weight norm adapts, the effective rate does not follow η
call 'plots/figure.gp' 'laarhoven' 1100 460
set multiplot layout 1,2 title sprintf("%d x %d ReLU + batch norm, SGD with L2 at (η·k, λ/k), ηλ = %g, %d epochs (mean over %d seeds)", \
    cfg_depth, cfg_width, cfg_lr * cfg_l2, cfg_ab_epochs, SEEDS)
set logscale xy
set xlabel 'learning rate η'
set key top left
set title 'effective learning rate η/‖W‖² of the hidden layers'
set ylabel 'η / ‖W‖²'
F0 = COND_X[A0 + 1]
E0 = mean_effective_rate[A0 + 1]
W0 = mean_weight_norm[A0 + 1]
# effective_rate, weight_norm: i x mean std min max n
plot M('effective_rate') every ::A0::A1 u 2:3:4 w yerrorlines ls 1 pt 7 title 'measured', \
     M('effective_rate') every ::A0::A1 u 2:(E0 * $2 / F0) w l ls 2 dt 2 title 'if ‖W‖ did not adapt (∝ η)'
set title 'weight norm ‖W‖ of the hidden layers (mean)'
set ylabel '‖W‖'
plot M('weight_norm') every ::A0::A1 u 2:3 w lp ls 1 pt 7 title 'measured', \
     M('weight_norm') every ::A0::A1 u 2:(W0 * ($2 / F0)**0.5) w l ls 3 dt 2 title 'equilibrium ‖W‖ ∝ (η/λ)^(1/4) = √η here'
unset multiplot
unset logscale xy

# 2. Santurkar et al.: no BN, BN, noisy BN
call 'plots/figure.gp' 'santurkar' 1100 700
set multiplot layout 2,2 title sprintf("%d x %d ReLU, η = %g, %d epochs: no batch norm, batch norm, noisy batch norm (mean over %d seeds)", \
    cfg_depth, cfg_width, cfg_lr, cfg_epochs, SEEDS)
unset xlabel
set xtics () noenhanced
do for [i=B0:B1] { set xtics add (COND_LABEL[i + 1] COND_X[i + 1]) }
set xrange [-0.6:2.6]
unset key
set yrange [0:*]
set title 'final accuracy (%): training (left), test (right)'
unset ylabel
set boxwidth 0.38
plot M('train_acc') every ::B0::B1 u ($2 - 0.2):3 w boxes lc rgb C[1], \
     M('test_acc') every ::B0::B1 u ($2 + 0.2):3 w boxes lc rgb C[5]
set boxwidth
set title "step-to-step change of each input unit of the last hidden layer\n(its batch mean and std; internal covariate shift)"
plot M('input_drift') every ::B0::B1 u 2:3 w boxes lc rgb C[2]
set title sprintf('loss range along the gradient (steps %s … %s)', word(cfg_probe_steps, 1), word(cfg_probe_steps, words(cfg_probe_steps)))
plot M('loss_range') every ::B0::B1 u 2:3 w boxes lc rgb C[3]
set title 'relative change of the gradient after the largest step'
plot M('gradient_change') every ::B0::B1 u 2:3 w boxes lc rgb C[4]
unset multiplot
set xrange [*:*]

# 3. Brock et al.: a deep ReLU net at a high rate (the labels without their 'deep ')
call 'plots/figure.gp' 'brock' 800 480
set title sprintf("%d x %d ReLU (He init) at η = %g, %d epochs: plain, batch norm, adaptive gradient clipping (λ = %g)\nfinal test accuracy, mean ± std over the seeds whose run did not diverge (of %d)", \
    cfg_deep_depth, cfg_width, cfg_deep_lr, cfg_deep_epochs, cfg_agc, SEEDS)
set xtics () noenhanced
do for [i=C0:C1] { set xtics add (COND_LABEL[i + 1][6:] COND_X[i + 1]) }
set xrange [-0.6:2.6]
set yrange [0:100]
set ylabel 'test accuracy (%)'
plot M('test_acc') every ::C0::C1 u 2:3 w boxes lc rgb C[1], \
     M('test_acc') every ::C0::C1 u 2:3:4 w yerrorbars lc rgb '#333333' pt -1
