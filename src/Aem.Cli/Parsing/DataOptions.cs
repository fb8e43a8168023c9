using System.CommandLine;
using Aem.Data;
using Aem.Runs;

namespace Aem.Cli.Parsing;

/// <summary>The options that choose data: a built-in task or paper dataset, a user file (and its context, if any), or an image.</summary>
internal sealed class DataOptions
{
    private ContextOptions context = null!;

    /// <summary>The context of a conditional density: columns of --data or a context file.</summary>
    public ContextOptions Context => context;

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
        options.context = ContextOptions.AddTo(command);
        return options;
    }

    /// <summary>True if the user named any data source.</summary>
    public bool Given(ParseResult result) =>
        result.GetValue(Dataset) is not null || result.GetValue(File) is not null || result.GetValue(Image) is not null;

    /// <summary>
    /// <paramref name="request"/> with the context the options name; without them, a new file keeps the
    /// run's own context columns (<paramref name="basis"/>'s), and the run's own data its own context.
    /// </summary>
    private DataRequest WithContext(ParseResult result, DataRequest request, DataRequest? basis)
    {
        if (context.GivenColumns(result) is { } columns) return request with { ContextColumns = columns, ContextFile = null };
        if (result.GetValue(context.File) is { } file) return request with { ContextFile = file, ContextColumns = null };
        if (request.File is not null && request.ContextColumns is null && request.ContextFile is null && basis?.ContextColumns is { } own)
        {
            return request with { ContextColumns = own };
        }
        return request;
    }

    /// <summary>
    /// The data the options describe, with absolute paths, starting from <paramref name="basis"/> (e.g. a run's
    /// own data) for anything not given.
    /// </summary>
    public DataRequest Read(ParseResult result, long seed, DataRequest? basis = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        string? validationFile = result.GetValue(ValidationFile), testFile = result.GetValue(TestFile);
        var request = Given(result)
            ? new DataRequest
            {
                Dataset = result.GetValue(Dataset),
                File = result.GetValue(File),
                ValidationFile = result.GetValue(ValidationFile),
                TestFile = result.GetValue(TestFile),
                Image = result.GetValue(Image),
                DataDirectory = basis?.DataDirectory,
                Standardize = !result.GetValue(NoStandardize),
                Seed = basis?.Seed ?? (int)seed,
            }
            : OwnDataWith(basis, validationFile, testFile, !result.GetValue(NoStandardize));
        request = WithContext(result, request, basis);
        request = request with
        {
            DataDirectory = result.GetValue(DataDirectory) ?? request.DataDirectory,
            SyntheticTrainPoints = result.GetValue(TrainPoints) ?? request.SyntheticTrainPoints,
            SyntheticHeldOutPoints = result.GetValue(HeldOutPoints) ?? request.SyntheticHeldOutPoints,
        };
        Validate(request);
        bool generated = DataCatalog.IsGenerated(request);
        UnusedOptions.Refuse(result, DataDirectory, request.File is null && request.Image is null && !generated, "is where the paper's data files are (--dataset NAME); it has no effect with this data.");
        UnusedOptions.Refuse(result, TrainPoints, generated, "sets how many points a 2-D or image task generates; it has no effect with this data.");
        UnusedOptions.Refuse(result, HeldOutPoints, generated, "sets how many points a 2-D or image task generates; it has no effect with this data.");
        UnusedOptions.Refuse(result, NoStandardize, request.File is not null, "applies to your own --data; it has no effect with this data.");
        return request.WithAbsolutePaths();
    }

    /// <summary>
    /// The run's own data with <c>--validation-data</c>/<c>--test-data</c> (given without <c>--data</c>) put in
    /// place of its splits; for a run whose data was not a file, those files alone.
    /// </summary>
    private static DataRequest OwnDataWith(DataRequest? basis, string? validationFile, string? testFile, bool standardize)
    {
        if (validationFile is null && testFile is null) return basis ?? new DataRequest();
        if (basis?.File is not null) return basis with { ValidationFile = validationFile ?? basis.ValidationFile, TestFile = testFile ?? basis.TestFile };
        string file = testFile ?? validationFile!;
        return new DataRequest { File = file, ValidationFile = validationFile ?? file, TestFile = testFile ?? file, Standardize = standardize, Seed = basis?.Seed ?? 1 };
    }

    /// <summary>The data a trained run is used with: as given on the command line, else the run's own.</summary>
    public DataRequest ForRun(ParseResult result, SavedRun run, long seed)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!Given(result) && run.File.Data is null)
        {
            throw new UsageException($"{run.Checkpoint}: the run's data ({run.File.DataName}) cannot be loaded again; name the data with --dataset, --data or --image.");
        }
        return Read(result, seed, run.File.Data);
    }

    private static void Validate(DataRequest request)
    {
        int sources = (request.Dataset is null ? 0 : 1) + (request.File is null ? 0 : 1) + (request.Image is null ? 0 : 1);
        if (sources == 0) throw new UsageException("name the data: --dataset NAME, --data FILE or --image FILE.");
        if (sources > 1) throw new UsageException("give only one of --dataset, --data and --image.");
        if ((request.ValidationFile ?? request.TestFile) is not null && request.File is null) throw new UsageException("--validation-data and --test-data go with --data FILE.");
        if (request.SyntheticTrainPoints < 1 || request.SyntheticHeldOutPoints < 1) throw new UsageException("--train-points and --held-out-points must be positive.");
        if (request.HasContext && request.File is null)
        {
            throw new UsageException("--context-columns and --context-file go with --data FILE (the built-in conditional task brings its own context).");
        }
        if (request.ContextFile is not null && (request.ValidationFile ?? request.TestFile) is not null)
        {
            throw new UsageException("a context file (--context-file) pairs with --data alone; with --validation-data or --test-data, put the context in columns of each file and name them with --context-columns.");
        }
    }
}
