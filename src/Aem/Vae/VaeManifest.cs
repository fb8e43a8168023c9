namespace Aem.Vae;

/// <summary>
/// <c>manifest.json</c> of a VAE checkpoint directory: the architecture, the training options and state
/// (to resume exactly), and SHA-256 sums of the other files.
/// </summary>
public sealed record VaeManifest
{
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Always "vae", so that an AEM checkpoint given by mistake is refused clearly.</summary>
    public string Kind { get; init; } = "vae";

    public required VaeOptions Model { get; init; }

    public VaeTrainerOptions? Training { get; init; }

    public VaeTrainingState? State { get; init; }

    /// <summary>Free text: which data the model was trained on.</summary>
    public string? Data { get; init; }

    public string DType { get; init; } = "float32";

    public DateTimeOffset SavedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>File name → lowercase hex SHA-256 of every other file in the directory.</summary>
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();
}
