namespace Aem.Data;

/// <summary>
/// The single entry point for data: loads a <see cref="DataSet"/> for a <see cref="DataRequest"/> —
/// a synthetic 2-D task, the built-in conditional task (<see cref="ConditionalSine"/>), an image density,
/// one of the paper's tabular sets with its MAF preprocessing, or a user file (with a context, if named). Bad input raises <see cref="DataFormatException"/>; a request that
/// names nothing loadable raises <see cref="ArgumentException"/>.
/// </summary>
public static class DataCatalog
{
    /// <summary>The dataset name of the built-in test picture, whose 2-D density the image task learns (paper fig. 4).</summary>
    public const string Einstein = "einstein";
    /// <summary>Prefix of a dataset name that learns a picture's density: <c>"image:PATH"</c> with a PNG or JPEG file.</summary>
    public const string ImagePrefix = "image:";

    /// <summary>The dataset names <see cref="Load"/> accepts (besides "image:PATH" and files).</summary>
    public static IReadOnlyList<string> Names { get; } =
        [.. Synthetic2D.Names, ConditionalSine.Name, Einstein, "power", "gas", "hepmass", "miniboone", "bsds300", "bsds300-images"];

    /// <summary>The paper's tabular sets, whose scores are reported in their preprocessed (MAF) space, as the published numbers are.</summary>
    public static IReadOnlySet<string> PaperTabular { get; } =
        new HashSet<string>(["power", "gas", "hepmass", "miniboone", "bsds300", "bsds300-images"], StringComparer.OrdinalIgnoreCase);

    /// <summary>True for the tasks <see cref="Load"/> generates from a seed (the 2-D tasks, the conditional task, images).</summary>
    public static bool IsGenerated(DataRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Image is not null || (request.BuiltInName is { } name &&
            (Synthetic2D.Names.Contains(name) || name == ConditionalSine.Name || name == Einstein || name.StartsWith(ImagePrefix, StringComparison.Ordinal)));
    }

    /// <summary>Loads the three splits <paramref name="request"/> describes.</summary>
    public static DataSet Load(DataRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.File is { } file)
        {
            return UserData.Load(request).ToDataSet(Path.GetFileName(file));
        }
        if (ImageDensityFor(request) is { } density)
        {
            return ImageDataSet(request, density);
        }
        string name = request.Dataset?.ToLowerInvariant()
            ?? throw new ArgumentException("Name a dataset, an image or a data file.", nameof(request));
        if (Synthetic2D.Names.Contains(name))
        {
            // Distinct seeds per split so held-out points are fresh draws of the same density.
            var train = Synthetic2D.GenerateTensor(name, request.SyntheticTrainPoints, request.Seed);
            var validation = Synthetic2D.GenerateTensor(name, request.SyntheticHeldOutPoints, request.Seed + 1_000_003);
            var test = Synthetic2D.GenerateTensor(name, request.SyntheticHeldOutPoints, request.Seed + 2_000_006);
            return new DataSet(name, train, validation, test, Standardizer: null);
        }
        if (name == ConditionalSine.Name)
        {
            var train = ConditionalSine.GenerateTensor(request.SyntheticTrainPoints, request.Seed);
            var validation = ConditionalSine.GenerateTensor(request.SyntheticHeldOutPoints, request.Seed + 1_000_003);
            var test = ConditionalSine.GenerateTensor(request.SyntheticHeldOutPoints, request.Seed + 2_000_006);
            return new DataSet(name, train, validation, test, Standardizer: null)
            {
                ContextFeatures = ConditionalSine.ContextFeatures,
                ColumnNames = ConditionalSine.ColumnNames,
                ContextColumnNames = ConditionalSine.ContextColumnNames,
            };
        }
        string? directory = request.DataDirectory;
        return name switch
        {
            "power" => PowerData.Load(directory).ToDataSet(name),
            "gas" => GasData.Load(directory, request.GasRawFraction).ToDataSet(name),
            "hepmass" => HepmassData.Load(directory).ToDataSet(name),
            "miniboone" => MinibooneData.Load(directory).ToDataSet(name),
            "bsds300" => Bsds300Data.Load(directory),
            "bsds300-images" => Bsds300Patches.Load(directory, request.BsdsPatches, request.Seed),
            _ => throw new ArgumentException(
                $"Unknown dataset '{request.Dataset}'; choose one of {string.Join(", ", Names)}, or image:PATH, or give a data file.", nameof(request)),
        };
    }

    /// <summary>
    /// The image density behind an image task ("einstein" = the built-in test image, "image:PATH",
    /// or <see cref="DataRequest.Image"/>), for plotting the true density; null for other tasks.
    /// </summary>
    internal static ImageDensity? ImageDensityFor(DataRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.File is not null)
        {
            return null;
        }
        if (request.Image is { } image)
        {
            return ImageDensity.FromFile(image);
        }
        string? name = request.Dataset;
        if (name is not null && name.StartsWith(ImagePrefix, StringComparison.OrdinalIgnoreCase))
        {
            return ImageDensity.FromFile(name[ImagePrefix.Length..]);
        }
        return string.Equals(name, Einstein, StringComparison.OrdinalIgnoreCase) ? ImageDensity.BuiltIn() : null;
    }

    private static DataSet ImageDataSet(DataRequest request, ImageDensity density)
    {
        string name = density.Source == "built-in" ? Einstein : ImagePrefix + density.Source;
        var train = density.Sample(request.SyntheticTrainPoints, request.Seed);
        var validation = density.Sample(request.SyntheticHeldOutPoints, request.Seed + 1_000_003);
        var test = density.Sample(request.SyntheticHeldOutPoints, request.Seed + 2_000_006);
        return new DataSet(name, train, validation, test, Standardizer: null);
    }
}
