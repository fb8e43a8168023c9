using System.CommandLine;
using Aem.Data;

namespace Aem.Cli.Running;

/// <summary>The options that choose data: a built-in task or paper dataset, a user file, or an image.</summary>
public sealed class DataOptions
{
    public Option<string?> Dataset { get; } = new("--dataset")
    {
        Description = $"A built-in dataset: {string.Join(", ", DataCatalog.Names)}; or image:PATH.",
        HelpName = "NAME",
    };

    public Option<string?> File { get; } = new("--data")
    {
        Description = "Your own data: .npy, or CSV / whitespace-separated text (header optional), one row per point.",
        HelpName = "FILE",
    };

    public Option<string?> ValidationFile { get; } = new("--validation-data")
    {
        Description = "Validation rows for --data (default: split off it).",
        HelpName = "FILE",
    };

    public Option<string?> TestFile { get; } = new("--test-data")
    {
        Description = "Test rows for --data (default: split off it).",
        HelpName = "FILE",
    };

    public Option<string?> Image { get; } = new("--image")
    {
        Description = "Learn the 2-D density of a picture (PNG or JPEG): points drawn with probability ∝ pixel intensity.",
        HelpName = "FILE",
    };

    public Option<string?> DataDirectory { get; } = new("--data-dir")
    {
        Description = "Folder with the paper's files (the MAF archive root or the set's own folder).",
        HelpName = "DIR",
    };

    public Option<bool> NoStandardize { get; } = new("--no-standardize")
    {
        Description = "Use --data as it is instead of standardising each column on the training split.",
    };

    public Option<int?> TrainPoints { get; } = new("--train-points")
    {
        Description = "Training points to generate for 2-D and image tasks (default 1,000,000, as in the paper).",
        HelpName = "N",
    };

    public Option<int?> HeldOutPoints { get; } = new("--held-out-points")
    {
        Description = "Validation and test points each for 2-D and image tasks (default 100,000).",
        HelpName = "N",
    };

    public static DataOptions AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var options = new DataOptions();
        foreach (var option in new Option[]
        {
            options.Dataset, options.File, options.ValidationFile, options.TestFile, options.Image,
            options.DataDirectory, options.NoStandardize, options.TrainPoints, options.HeldOutPoints,
        })
        {
            command.Add(option);
        }
        return options;
    }

    /// <summary>True if the user named any data source.</summary>
    public bool Given(ParseResult result) =>
        result.GetValue(Dataset) is not null || result.GetValue(File) is not null || result.GetValue(Image) is not null;

    /// <summary>The data the options describe, starting from <paramref name="basis"/> (e.g. a run's own data) for anything not given.</summary>
    public DataSpec Read(ParseResult result, int seed, DataSpec? basis = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var spec = Given(result)
            ? new DataSpec
            {
                Dataset = result.GetValue(Dataset),
                File = result.GetValue(File),
                ValidationFile = result.GetValue(ValidationFile),
                TestFile = result.GetValue(TestFile),
                Image = result.GetValue(Image),
                DataDirectory = result.GetValue(DataDirectory) ?? basis?.DataDirectory,
                Standardize = !result.GetValue(NoStandardize),
                Seed = basis?.Seed ?? seed,
            }
            : basis ?? new DataSpec();
        spec = spec with
        {
            DataDirectory = result.GetValue(DataDirectory) ?? spec.DataDirectory,
            TrainPoints = result.GetValue(TrainPoints) ?? spec.TrainPoints,
            HeldOutPoints = result.GetValue(HeldOutPoints) ?? spec.HeldOutPoints,
        };
        spec.Validate();
        return spec;
    }
}
