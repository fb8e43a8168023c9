using Aem.Data;

namespace Aem.Cli.Running;

/// <summary>
/// What data a run used, as written to its <c>config.json</c>, so that <c>evaluate</c>, <c>plot</c> and
/// <c>train --resume</c> load the very same splits again.
/// </summary>
public sealed record DataSpec
{
    /// <summary>A name from <see cref="DataCatalog.Names"/>, or "image:PATH".</summary>
    public string? Dataset { get; init; }

    public string? File { get; init; }

    public string? ValidationFile { get; init; }

    public string? TestFile { get; init; }

    public string? Image { get; init; }

    public string? DataDirectory { get; init; }

    public bool Standardize { get; init; } = true;

    public int TrainPoints { get; init; } = 1_000_000;

    public int HeldOutPoints { get; init; } = 100_000;

    public int Seed { get; init; } = 1;

    /// <summary>The paper's tabular sets, whose scores are reported in their preprocessed (MAF) space.</summary>
    public static IReadOnlySet<string> PaperTabular { get; } =
        new HashSet<string>(["power", "gas", "hepmass", "miniboone", "bsds300", "bsds300-images"], StringComparer.OrdinalIgnoreCase);

    /// <summary>A short name for messages, folder names and reports.</summary>
    public string Name =>
        File is not null ? Path.GetFileNameWithoutExtension(File)
        : Image is not null ? Path.GetFileNameWithoutExtension(Image)
        : Dataset is { } d && d.StartsWith(DataCatalog.ImagePrefix, StringComparison.OrdinalIgnoreCase) ? Path.GetFileNameWithoutExtension(d[DataCatalog.ImagePrefix.Length..])
        : Dataset ?? "data";

    /// <summary>The task name when it is a built-in dataset (checkerboard, power, ...), else null.</summary>
    public string? BuiltInName => File is null && Image is null ? Dataset?.ToLowerInvariant() : null;

    /// <summary>
    /// The loader request. <paramref name="rawUserFile"/> loads a user file without standardising it, so
    /// that a checkpoint's own standardizer can be applied instead of one fitted again.
    /// </summary>
    public DataRequest ToRequest(bool rawUserFile = false) => new()
    {
        Dataset = Dataset,
        File = File,
        ValidationFile = ValidationFile,
        TestFile = TestFile,
        Image = Image,
        DataDirectory = DataDirectory,
        Standardize = Standardize && !rawUserFile,
        SyntheticTrainPoints = TrainPoints,
        SyntheticHeldOutPoints = HeldOutPoints,
        Seed = Seed,
    };

    /// <summary>Checks that exactly one source is named.</summary>
    public void Validate()
    {
        int sources = (Dataset is null ? 0 : 1) + (File is null ? 0 : 1) + (Image is null ? 0 : 1);
        if (sources == 0) throw new UsageException("name the data: --dataset NAME, --data FILE or --image FILE.");
        if (sources > 1) throw new UsageException("give only one of --dataset, --data and --image.");
        if ((ValidationFile ?? TestFile) is not null && File is null) throw new UsageException("--validation-data and --test-data go with --data FILE.");
        if (TrainPoints < 1 || HeldOutPoints < 1) throw new UsageException("--train-points and --held-out-points must be positive.");
    }
}
