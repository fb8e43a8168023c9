using Aem.Data;
using Aem.Model;
using Aem.Nn;
using Aem.Training;

namespace Aem.Presets;

/// <summary>
/// A named experimental setting from the paper's Tables 3–4 (SPEC §2): architecture and training
/// schedule. The paper's step counts assume a GPU; <see cref="Training(int?, int?)"/> scales the
/// warm-up with a smaller step budget unless one is given.
/// </summary>
/// <param name="Name">Preset name, e.g. "power".</param>
/// <param name="Features">D, when the preset fixes it (tabular sets, 2-D tasks); null for "vae prior" style presets that take it from data.</param>
/// <param name="BatchSize">Batch size.</param>
/// <param name="HiddenFeatures">ResMADE width H.</param>
/// <param name="Dropout">Dropout in both networks.</param>
/// <param name="EnergyActivation">ENN activation.</param>
/// <param name="Components">M, or null for the fixed uniform proposal.</param>
/// <param name="Steps">The paper's total steps.</param>
/// <param name="WarmupSteps">The paper's warm-up steps.</param>
public sealed record Preset(
    string Name,
    int? Features,
    int BatchSize,
    int HiddenFeatures,
    double Dropout,
    Activation EnergyActivation,
    int? Components,
    int Steps,
    int WarmupSteps)
{
    /// <summary>The architecture for data with <paramref name="features"/> dimensions (default: the preset's own D).</summary>
    public AemOptions Model(int? features = null)
    {
        int d = features ?? Features ?? throw new ArgumentException($"Preset '{Name}' needs the data dimension.", nameof(features));
        return new AemOptions
        {
            Features = d,
            HiddenFeatures = HiddenFeatures,
            Dropout = Dropout,
            EnergyActivation = EnergyActivation,
            Proposal = Components is null ? ProposalKind.Uniform : ProposalKind.MixtureOfGaussians,
            Components = Components ?? 0,
        };
    }

    /// <summary>
    /// Training options for a budget of <paramref name="steps"/> (default: the paper's). Unless
    /// <paramref name="warmupSteps"/> is given, the warm-up keeps the paper's fraction of the budget
    /// (5,000 of 400,000 is 1.25 %), since a full-length warm-up would eat a small budget.
    /// </summary>
    public TrainerOptions Training(int? steps = null, int? warmupSteps = null)
    {
        int total = steps ?? Steps;
        int warmup = warmupSteps ?? (int)Math.Round((double)WarmupSteps * total / Steps);
        return new TrainerOptions { BatchSize = BatchSize, Steps = total, WarmupSteps = warmup };
    }

    /// <summary>The presets of SPEC §2, by name.</summary>
    public static IReadOnlyDictionary<string, Preset> All { get; } = new Dictionary<string, Preset>(StringComparer.OrdinalIgnoreCase)
    {
        ["spirals"] = new("spirals", 2, 256, 256, 0.0, Activation.Relu, 10, 400_000, 5_000),
        ["checkerboard"] = new("checkerboard", 2, 256, 256, 0.0, Activation.Relu, null, 400_000, 0),
        ["diamond"] = new("diamond", 2, 256, 256, 0.0, Activation.Relu, 10, 400_000, 0),
        ["einstein"] = new("einstein", 2, 256, 256, 0.0, Activation.Relu, 10, 3_000_000, 0),
        ["power"] = new("power", 6, 512, 512, 0.1, Activation.Relu, 20, 800_000, 5_000),
        ["gas"] = new("gas", 8, 512, 512, 0.0, Activation.Tanh, 20, 400_000, 5_000),
        ["hepmass"] = new("hepmass", 21, 512, 512, 0.2, Activation.Relu, 20, 400_000, 5_000),
        ["miniboone"] = new("miniboone", 43, 512, 512, 0.5, Activation.Relu, 20, 6_000, 0),
        ["bsds300"] = new("bsds300", 63, 512, 1024, 0.2, Activation.Relu, 20, 400_000, 5_000),
        ["vae-prior"] = new("vae-prior", 32, 256, 512, 0.5, Activation.Relu, 20, 100_000, 0),
    };

    /// <summary>The objective's settings: the paper's S = 20 in training (S = 100 for validation).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static",
        Justification = "Every preset answers Model, Training and Objective alike; the paper's objective settings happen to be the same for all.")]
    public AemObjectiveOptions Objective() => new();

    /// <summary>
    /// The preset a dataset trains with by default: its own (an image: einstein's; the built-in conditional task:
    /// the 2-D tasks' settings, spirals'), else (a user's file or --image) power's.
    /// </summary>
    /// <param name="data">The data request whose dataset name decides.</param>
    public static Preset For(DataRequest data)
    {
        ArgumentNullException.ThrowIfNull(data);
        string? own = data.BuiltInName switch
        {
            null => null,
            "bsds300-images" => "bsds300",
            ConditionalSine.Name => "spirals",
            var name when name.StartsWith(DataCatalog.ImagePrefix, StringComparison.OrdinalIgnoreCase) => "einstein",
            var name => name,
        };
        return own is not null && All.TryGetValue(own, out var preset) ? preset : Get("power");
    }

    /// <summary>Looks a preset up by name, with a clear error listing the valid names.</summary>
    /// <param name="name">A key of <see cref="All"/> (case-insensitive), e.g. "power".</param>
    /// <exception cref="ArgumentException">No preset has that name; the message lists the valid ones.</exception>
    public static Preset Get(string name) =>
        All.TryGetValue(name, out var preset)
            ? preset
            : throw new ArgumentException($"Unknown preset '{name}'; choose one of {string.Join(", ", All.Keys)}.", nameof(name));
}
