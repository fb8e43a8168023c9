using System.Text.Json;
using Aem.Evaluation;
using Aem.Model;

namespace Aem.Runs;

/// <summary>
/// The first line of a shard file (<see cref="ShardFile"/>): what the shard is of — the identity every shard of
/// one job shares, which <see cref="ShardMerge"/> compares — and what it holds: its columns, their sufficient
/// statistics and the checksum of its per-point values.
/// </summary>
public sealed record ShardHeader
{
    /// <summary>The value of <see cref="Format"/> in every shard file.</summary>
    public const string FormatName = "aem-shard";

    /// <summary>The layout this code writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>A shard of <c>aem evaluate</c>: a split of a dataset, seeded subset and all.</summary>
    public const string EvaluateKind = "evaluate";

    /// <summary>A shard of <c>aem score</c>: the rows of a file.</summary>
    public const string ScoreKind = "score";

    /// <summary>Always <see cref="FormatName"/>: tells a shard file from any other JSON.</summary>
    public string Format { get; init; } = FormatName;

    /// <summary>The layout's version.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary><see cref="EvaluateKind"/> or <see cref="ScoreKind"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>I, 0-based.</summary>
    public required int Index { get; init; }

    /// <summary>N, the number of shards.</summary>
    public required int Count { get; init; }

    /// <summary>The checkpoint folder as the shard's process saw it (for messages; nodes may mount it elsewhere, so it is not compared).</summary>
    public required string Checkpoint { get; init; }

    /// <summary>SHA-256 of the checkpoint's <c>model.bin</c>: the weights scored.</summary>
    public required string ModelSha256 { get; init; }

    /// <summary>The checkpoint's training step.</summary>
    public int Step { get; init; }

    /// <summary>The data scored, in words (not compared: paths differ between nodes).</summary>
    public required string Data { get; init; }

    /// <summary>The split scored (<c>aem evaluate</c>), or null.</summary>
    public DataSplit? Split { get; init; }

    /// <summary>
    /// SHA-256 of the data: of all the job's points as scored (<c>aem evaluate</c>, model units, after the
    /// seeded subset), or of the file's bytes (<c>aem score</c>).
    /// </summary>
    public required string DataFingerprint { get; init; }

    /// <summary>Points of the whole job (every shard).</summary>
    public long TotalPoints { get; init; }

    /// <summary>Points available before a seeded subset (<c>--max-points</c>).</summary>
    public long AvailablePoints { get; init; }

    /// <summary>The units of every score.</summary>
    public required ScoreUnits Units { get; init; }

    /// <summary>The seed of the subset and the importance samples.</summary>
    public long Seed { get; init; }

    /// <summary>S, importance samples per conditional.</summary>
    public int Samples { get; init; }

    /// <summary>How each conditional's samples were placed.</summary>
    public NormalizerEstimator Normalizer { get; init; } = NormalizerEstimator.Iid;

    /// <summary>
    /// Every setting that shapes the scores (S, seed, subset, AEM-KDE, chunking…), each as JSON text: the
    /// properties of the options record the job ran with, so a setting added to it is compared without
    /// changing this format.
    /// </summary>
    public required IReadOnlyDictionary<string, string> Settings { get; init; }

    /// <summary>The true log-likelihood when known (checkerboard), for the report.</summary>
    public double? Truth { get; init; }

    /// <summary>AEM-KDE's (h, λ) as chosen on the validation split (the same in every shard), or null.</summary>
    public KdeSelection? KdeSelection { get; init; }

    /// <summary>The per-point columns, in the order of the values in each row of the payload.</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];

    /// <summary>This shard's points (rows of the payload).</summary>
    public long Points { get; init; }

    /// <summary>Count, mean and M2 of each column over this shard's points.</summary>
    public IReadOnlyDictionary<string, SufficientStatistics> Statistics { get; init; } = new Dictionary<string, SufficientStatistics>();

    /// <summary>SHA-256 of the payload (the per-point values as written).</summary>
    public string PayloadSha256 { get; init; } = "";

    /// <summary>Wall time the shard's scoring took.</summary>
    public double Seconds { get; init; }

    /// <summary>The output file asked for (<c>aem score --output</c>, file name only): where <c>aem merge</c> writes by default.</summary>
    public string? Output { get; init; }

    // Unlike the header's own options, nulls are kept: "MaxPoints": null is a setting too.
    private static readonly JsonSerializerOptions SettingsJson = new()
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Which shard this is.</summary>
    public Shard Shard => new(Index, Count);

    /// <summary>
    /// The settings of an options record as <see cref="Settings"/> holds them: each public property as JSON
    /// text, except those named in <paramref name="except"/> (settings recorded elsewhere in the header).
    /// </summary>
    public static IReadOnlyDictionary<string, string> SettingsOf(object options, params string[] except)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in JsonSerializer.SerializeToElement(options, options.GetType(), SettingsJson).EnumerateObject())
        {
            if (!except.Contains(property.Name, StringComparer.Ordinal)) settings[property.Name] = property.Value.GetRawText();
        }
        settings[nameof(TestEvaluation.PointsPerChunk)] = TestEvaluation.PointsPerChunk.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return settings;
    }
}
