# probabilistic.gp — figures of results/probabilistic.json (experiment: experiments/probabilistic.c)
# Conditions: 1 regression ((a) and (b)'s net), 2 small-set, 3 mnist-ml, 4 mnist-map, 5 example. The fits' figures
# draw the first seed's samples and curves (recorded only in its cell); a series' value t pairs with the grid's or
# the samples' x at the same t, read into arrays first.
load 'plots/common.gp'

REG = 0 * NSEEDS                                 # the first seed's block of condition 1 (regression)
SM = 1 * NSEEDS                                  # … of condition 2 (small-set)
EX = 4                                           # condition 5 (example), 0-based
array GA[101]
array XA[cfg_n_points]
array GB[201]
array XB[cfg_small_n]
stats MS('grid') index REG u (GA[int($1)] = $2, 0) nooutput
stats MS('x') index REG u (XA[int($1)] = $2, 0) nooutput
stats MS('grid') index SM u (GB[int($1)] = $2, 0) nooutput
stats MS('x') index SM u (XB[int($1)] = $2, 0) nooutput

# 1. maximum likelihood on noisy samples of sin(πx): the fit and ± one ML standard deviation
call 'plots/figure.gp' 'ml' 800 500
SIG = mean_sigma_ml[1]                           # the first seed's 1/√β_ML
set title sprintf("Gaussian-noise regression, first seed: %d samples of sin(πx) + N(0, %g²), degree-%d model\nthe maximum-likelihood fit is the least-squares fit; band: ± 1/√β_ML = %.3f", \
    cfg_n_points, cfg_noise, cfg_degree, SIG) noenhanced
set xlabel 'x'
set ylabel 't'
set key bottom right
plot MS('ml_fit') index REG u (GA[int($1)]):($2-SIG):($2+SIG) w filledcurves lc rgb C[1] title '± 1/√β_ML', \
     MS('truth') index REG u (GA[int($1)]):2 w l lc rgb '#888888' dt 2 lw 2 title 'sin(πx)', \
     MS('ml_fit') index REG u (GA[int($1)]):2 w l ls 1 title 'ML = least squares', \
     MS('t') index REG u (XA[int($1)]):2 w p pt 7 ps 0.8 lc rgb '#333333' title 'samples'

# 2. MAP against least squares on a small set
call 'plots/figure.gp' 'map' 800 500
set title sprintf("%d points, degree %d, first seed: least squares interpolates the noise, MAP (L2, λ = %g) does not", \
    cfg_small_n, cfg_small_degree, cfg_small_lambda)
set yrange [-2.5:2.5]
plot MS('truth') index SM u (GB[int($1)]):2 w l lc rgb '#888888' dt 2 lw 2 title 'sin(πx)', \
     MS('ls_fit') index SM u (GB[int($1)]):2 w l ls 2 title 'least squares (ML)', \
     MS('map_fit') index SM u (GB[int($1)]):2 w l ls 1 title 'MAP (Gaussian prior)', \
     MS('t') index SM u (XB[int($1)]):2 w p pt 7 ps 1 lc rgb '#333333' title 'training points'
set yrange [*:*]

# 3. the PyTorch example: the summed squared error per Adam step, each seed
call 'plots/figure.gp' 'example' 800 480
set title sprintf("Seed 001's PyTorch example: Linear(1000, 100) → ReLU → Linear(100, 10) on 64 random points, Adam at %g", cfg_example_lr)
set xlabel 'Adam step'
set ylabel 'Σ (y − t)² over the 64 points'
set key top right
plot for [r=0:NSEEDS-1] MS('loss') index (EX * NSEEDS + r) u ($1 - 1):2 w lp pt 7 ps 0.5 lc rgb C[r % 6 + 1] \
     title sprintf('seed %d', cfg_seed + r)
