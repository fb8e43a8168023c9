namespace Aem.Data;

/// <summary>What data to load: a built-in task by name, a paper dataset, an image, or a user file.</summary>
public sealed record DataRequest
{
    /// <summary>
    /// A name from <see cref="DataCatalog.Names"/> ("checkerboard", "einstein", "power", "bsds300-images", ...),
    /// or "image:PATH" for the density of a picture. Ignored when <see cref="File"/> is set.
    /// </summary>
    public string? Dataset { get; init; }

    /// <summary>
    /// Where the paper's files are: the MAF archive's root (holding power/, gas/, hepmass/, miniboone/,
    /// BSDS300/), the dataset's own folder, or (single-file sets) the file itself. For "bsds300-images",
    /// the folder holding images/train and images/test. Null means the working directory.
    /// </summary>
    public string? DataDirectory { get; init; }

    /// <summary>A user data file (.npy, or CSV / semicolon- / whitespace-separated text, header optional).</summary>
    public string? File { get; init; }

    /// <summary>Validation rows for <see cref="File"/>; when null they are split off it.</summary>
    public string? ValidationFile { get; init; }

    /// <summary>Test rows for <see cref="File"/>; when null they are split off it.</summary>
    public string? TestFile { get; init; }

    /// <summary>
    /// The columns of <see cref="File"/> (and of its validation and test files) that are the context c of a
    /// conditional density p(x | c): 0-based indices ("0", "3") or header names. The other columns are x.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? ContextColumns { get; init; }

    /// <summary>
    /// A file of context rows for a conditional density p(x | c), one for each row of <see cref="File"/>, in
    /// the same order (the validation and test rows are then split off both together).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? ContextFile { get; init; }

    /// <summary>True when the request names a context (columns or a file).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasContext => ContextColumns is not null || ContextFile is not null;

    /// <summary>Standardise a user file (fitted on its training split). Paper sets follow their own recipes.</summary>
    public bool Standardize { get; init; } = true;

    /// <summary>A picture (PNG, JPEG) whose density to learn, like "image:PATH" in <see cref="Dataset"/>.</summary>
    public string? Image { get; init; }

    /// <summary>Training points to generate for synthetic and image tasks (the paper uses 10^6).</summary>
    public int SyntheticTrainPoints { get; init; } = 1_000_000;

    /// <summary>Validation and test points each for synthetic and image tasks.</summary>
    public int SyntheticHeldOutPoints { get; init; } = 100_000;

    /// <summary>Patches to cut for "bsds300-images" (default: the paper's 1,000,000 / 50,000 / 250,000).</summary>
    public SplitSizes BsdsPatches { get; init; } = SplitSizes.Bsds300;

    /// <summary>
    /// Fraction of the raw ethylene_CO.txt rows GAS keeps (the MAF pickle is a random 25 % sample);
    /// not used for an .npy export of the pickle.
    /// </summary>
    public double GasRawFraction { get; init; } = 0.25;

    /// <summary>Seed for generated data, user-file shuffles and patch sampling (the paper sets use their own fixed seeds).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>A short name for messages, folder names and reports ("checkerboard", "measurements").</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Name =>
        File is not null ? Path.GetFileNameWithoutExtension(File)
        : Image is not null ? Path.GetFileNameWithoutExtension(Image)
        : Dataset is { } d && d.StartsWith(DataCatalog.ImagePrefix, StringComparison.OrdinalIgnoreCase) ? Path.GetFileNameWithoutExtension(d[DataCatalog.ImagePrefix.Length..])
        : Dataset ?? "data";

    /// <summary>The task's name when it is a built-in dataset ("checkerboard", "power", ...); null for files and images.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? BuiltInName => File is null && Image is null ? Dataset?.ToLowerInvariant() : null;

    /// <summary>What the data is, for reports: "checkerboard", "file:/abs/path.csv", "image:/abs/path.png".</summary>
    public string Describe()
    {
        if (File is { } file)
        {
            string context = ContextColumns is { } columns ? $" given context {(columns.Count == 1 ? "column" : "columns")} {string.Join(",", columns)}"
                : ContextFile is { } contextFile ? $" given the context in file:{Path.GetFullPath(contextFile)}"
                : "";
            return "file:" + Path.GetFullPath(file) + context;
        }
        if (Image is { } image) return "image:" + Path.GetFullPath(image);
        return Dataset ?? "data";
    }

    /// <summary>The same request with every path absolute, so that it loads the same files from any folder.</summary>
    public DataRequest WithAbsolutePaths()
    {
        static string? Full(string? path) => path is null ? null : Path.GetFullPath(path);
        string? dataset = Dataset is { } d && d.StartsWith(DataCatalog.ImagePrefix, StringComparison.OrdinalIgnoreCase)
            ? DataCatalog.ImagePrefix + Path.GetFullPath(d[DataCatalog.ImagePrefix.Length..])
            : Dataset;
        return this with
        {
            Dataset = dataset,
            DataDirectory = Full(DataDirectory),
            File = Full(File),
            ValidationFile = Full(ValidationFile),
            TestFile = Full(TestFile),
            ContextFile = Full(ContextFile),
            Image = Full(Image),
        };
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless exactly one source is named and the sizes are positive.</summary>
    public void Validate()
    {
        int sources = (Dataset is null ? 0 : 1) + (File is null ? 0 : 1) + (Image is null ? 0 : 1);
        if (sources == 0) throw new ArgumentException("Name the data: a dataset, a data file or an image.");
        if (sources > 1) throw new ArgumentException("Name only one of a dataset, a data file and an image.");
        if ((ValidationFile ?? TestFile) is not null && File is null) throw new ArgumentException("Separate validation and test files go with a data file.");
        if (HasContext && File is null) throw new ArgumentException("Context columns or a context file go with a data file (a built-in conditional task brings its own context).");
        if (ContextColumns is not null && ContextFile is not null) throw new ArgumentException("Name the context once: columns of the data file or a context file, not both.");
        if (ContextFile is not null && (ValidationFile ?? TestFile) is not null)
        {
            throw new ArgumentException("A context file pairs with the data file alone; with separate validation and test files, put the context in columns of each and name them as context columns.");
        }
        if (SyntheticTrainPoints < 1 || SyntheticHeldOutPoints < 1) throw new ArgumentException("The numbers of points to generate must be positive.");
    }
}
