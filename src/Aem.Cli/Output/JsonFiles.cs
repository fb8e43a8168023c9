using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aem.Cli.Output;

/// <summary>How the tool writes its JSON reports: indented, enums by name, symbols such as p̂ kept readable.</summary>
internal static class JsonFiles
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
