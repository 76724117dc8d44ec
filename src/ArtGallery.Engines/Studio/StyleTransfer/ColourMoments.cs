namespace ArtGallery.Engines.Studio.StyleTransfer;

/// <summary>
/// The first two colour moments of an image tensor (planar B, G, R, any per-channel offset):
/// the mean and the 3×3 covariance of its pixels. As a loss term they hold the result's palette
/// near the style's while the Gram loss moves texture, at the cost of one pass over the pixels and
/// no encoder forward (decision 0015).
/// </summary>
public sealed class ColourMoments
{
    private ColourMoments(double[] mean, double[] covariance)
    {
        Mean = mean;
        Covariance = covariance;
    }

    /// <summary>Per channel, in the tensor's order.</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>Row-major 3×3.</summary>
    public IReadOnlyList<double> Covariance { get; }

    /// <summary>Mean variance over the three channels (the covariance's trace / 3).</summary>
    public double Variance => (Covariance[0] + Covariance[4] + Covariance[8]) / 3;

    public static ColourMoments Of(ReadOnlySpan<float> tensor)
    {
        if (tensor.Length == 0 || tensor.Length % 3 != 0)
        {
            throw new ArgumentException("A planar three-channel tensor is needed.", nameof(tensor));
        }

        var n = tensor.Length / 3;
        var mean = new double[3];
        for (var c = 0; c < 3; c++)
        {
            double sum = 0;
            foreach (var v in tensor.Slice(c * n, n))
            {
                sum += v;
            }

            mean[c] = sum / n;
        }

        var covariance = new double[9];
        for (var c = 0; c < 3; c++)
        {
            for (var d = c; d < 3; d++)
            {
                double sum = 0;
                for (var i = 0; i < n; i++)
                {
                    sum += (tensor[(c * n) + i] - mean[c]) * (tensor[(d * n) + i] - mean[d]);
                }

                covariance[(3 * c) + d] = covariance[(3 * d) + c] = sum / n;
            }
        }

        return new ColourMoments(mean, covariance);
    }

    /// <summary>
    /// weight · (Σ(μ − μ*)²/s + Σ(C − C*)²/s²), with s the target's <see cref="Variance"/> so the
    /// term does not depend on the pixel scale; its gradient is added into
    /// <paramref name="gradient"/> and the loss returned.
    /// </summary>
    public static float AddLoss(ReadOnlySpan<float> tensor, ColourMoments target, float weight, Span<float> gradient)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (weight == 0)
        {
            return 0;
        }

        var current = Of(tensor);
        var n = tensor.Length / 3;
        var s = Math.Max(target.Variance, 1e-6);
        var meanDifference = new double[3];
        var covarianceDifference = new double[9];
        double loss = 0;
        for (var c = 0; c < 3; c++)
        {
            meanDifference[c] = current.Mean[c] - target.Mean[c];
            loss += meanDifference[c] * meanDifference[c] / s;
        }

        for (var k = 0; k < 9; k++)
        {
            covarianceDifference[k] = current.Covariance[k] - target.Covariance[k];
            loss += covarianceDifference[k] * covarianceDifference[k] / (s * s);
        }

        // d/dx_ei: 2(μ_e − μ*_e)/(s·n) from the mean; (4/(s²·n))·Σ_d D_ed (x_di − μ_d) from the
        // covariance (D symmetric; the mean's own derivative cancels because Σ_i (x_di − μ_d) = 0).
        for (var e = 0; e < 3; e++)
        {
            var meanGradient = (float)(weight * 2 * meanDifference[e] / (s * n));
            var scale = weight * 4 / (s * s * n);
            for (var i = 0; i < n; i++)
            {
                double sum = 0;
                for (var d = 0; d < 3; d++)
                {
                    sum += covarianceDifference[(3 * e) + d] * (tensor[(d * n) + i] - current.Mean[d]);
                }

                gradient[(e * n) + i] += meanGradient + (float)(scale * sum);
            }
        }

        return (float)(weight * loss);
    }
}
