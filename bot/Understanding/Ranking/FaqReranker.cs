using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace CommunityBot.Understanding.Ranking;

/// <summary>
/// A logistic-regression re-ranker over <see cref="RerankFeatures"/>: the probability that a candidate entry is the
/// one the message asks about. Trained with ML.NET (L-BFGS); scoring is the model's own formula over the learned
/// weights, so it allocates nothing and needs no prediction engine. Immutable and thread-safe.
/// </summary>
public sealed class FaqReranker
{
    private readonly float[] _mean;
    private readonly float[] _scale;
    private readonly float[] _weights;
    private readonly float _bias;

    private FaqReranker(float[] mean, float[] scale, float[] weights, float bias, int examples, int positives)
    {
        _mean = mean;
        _scale = scale;
        _weights = weights;
        _bias = bias;
        Examples = examples;
        Positives = positives;
    }

    /// <summary>How many (message, candidate) pairs it was trained on, and how many of them were the right entry.</summary>
    public int Examples { get; }

    public int Positives { get; }

    /// <summary>The weight of each feature on the standardised scale, by name (for reports).</summary>
    public IEnumerable<(string Name, float Weight)> Weights => RerankFeatures.Names.Zip(_weights);

    /// <summary>The probability that the candidate described by <paramref name="features"/> is the right entry.</summary>
    public double Probability(ReadOnlySpan<float> features)
    {
        double z = _bias;
        for (var i = 0; i < _weights.Length; i++)
        {
            z += _weights[i] * (features[i] - _mean[i]) * _scale[i];
        }
        return 1 / (1 + Math.Exp(-z));
    }

    /// <summary>
    /// Trains on labelled feature vectors; null when there is nothing to learn from (no positive or no negative pair).
    /// </summary>
    public static FaqReranker? Train(IReadOnlyList<RerankExample> examples, float l2 = 0.1f, int seed = 1)
    {
        var positives = examples.Count(e => e.Label);
        if (positives == 0 || positives == examples.Count)
        {
            return null;
        }
        var n = RerankFeatures.Count;
        // Standardise here rather than in an ML.NET transform, so scoring is one dot product.
        var mean = new float[n];
        var scale = new float[n];
        foreach (var e in examples)
        {
            for (var i = 0; i < n; i++)
            {
                mean[i] += e.Features[i];
            }
        }
        for (var i = 0; i < n; i++)
        {
            mean[i] /= examples.Count;
        }
        foreach (var e in examples)
        {
            for (var i = 0; i < n; i++)
            {
                var d = e.Features[i] - mean[i];
                scale[i] += d * d;
            }
        }
        for (var i = 0; i < n; i++)
        {
            var sd = MathF.Sqrt(scale[i] / examples.Count);
            scale[i] = sd > 1e-6f ? 1 / sd : 0;
        }
        var rows = examples.Select(e =>
        {
            var x = new float[n];
            for (var i = 0; i < n; i++)
            {
                x[i] = (e.Features[i] - mean[i]) * scale[i];
            }
            return new Row { Label = e.Label, Features = x };
        });

        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, n);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            L2Regularization = l2,
            L1Regularization = 0,
            // One thread: training runs inside an index rebuild on a shared server and must be reproducible.
            NumberOfThreads = 1,
        });
        var model = trainer.Fit(data).Model.SubModel;
        return new FaqReranker(mean, scale, model.Weights.ToArray(), model.Bias, examples.Count, positives);
    }

    private sealed class Row
    {
        public bool Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}

/// <summary>One training pair: a candidate's features and whether it was the right entry.</summary>
public sealed record RerankExample(float[] Features, bool Label);
