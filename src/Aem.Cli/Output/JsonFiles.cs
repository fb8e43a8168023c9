using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aem.Cli.Output;

/// <summary>
/// How the tool writes its JSON reports: indented, enums by name, symbols such as p̂ kept readable, and a
/// non-finite number (a log-likelihood of −∞, a NaN) as <c>null</c>: JSON has no such numbers, and strings
/// such as "-Infinity" break readers that expect numbers.
/// </summary>
internal static class JsonFiles
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(), new NonFiniteAsNull() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes non-finite doubles as null and reads null back as NaN.</summary>
    private sealed class NonFiniteAsNull : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value)) writer.WriteNumberValue(value);
            else writer.WriteNullValue();
        }

        public override bool HandleNull => true;
    }
}
