using System.Text.Json;
using System.Text.Json.Serialization;
using Aem.Cli.Output;
using Aem.Model;
using Aem.Training;

namespace Aem.Cli.Running;

/// <summary>
/// A training run's full configuration, written as <c>config.json</c> beside its checkpoints: the
/// command line, the data, the preset and every model and training setting actually used.
/// </summary>
public sealed record RunConfig
{
    public const string FileName = "config.json";

    public string Tool { get; init; } = "aem " + typeof(RunConfig).Assembly.GetName().Version;

    public IReadOnlyList<string> CommandLine { get; init; } = [];

    public required DataSpec Data { get; init; }

    public required string Preset { get; init; }

    public required AemOptions Model { get; init; }

    public required TrainerOptions Training { get; init; }

    public int Threads { get; init; }

    public string Device { get; init; } = "cpu";

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Files, not HTML: keep apostrophes and symbols such as p̂ readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public void Save(string directory) =>
        AtomicFile.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, Json));

    /// <summary>Reads <c>config.json</c> from a run folder; null if there is none.</summary>
    public static RunConfig? TryLoad(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<RunConfig>(File.ReadAllText(path), Json)
                ?? throw new UsageException($"{path}: empty run configuration.");
        }
        catch (JsonException e)
        {
            throw new UsageException($"{path}: unreadable run configuration ({e.Message}).", e);
        }
    }
}
