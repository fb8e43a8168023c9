using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Aem.Data;

/// <summary>
/// The header of a NumPy <c>.npy</c> file (format versions 1.0, 2.0, 3.0): magic <c>\x93NUMPY</c>,
/// major and minor version bytes, a little-endian header length (2 bytes in 1.0, 4 after), then a
/// Python dict literal <c>{'descr': '&lt;f8', 'fortran_order': False, 'shape': (N, D), }</c>.
/// </summary>
internal sealed partial record NpyHeader(string Descr, bool FortranOrder, long[] Shape)
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads the header and leaves <paramref name="stream"/> at the first data byte.</summary>
    public static NpyHeader Read(Stream stream, string path)
    {
        Span<byte> prefix = stackalloc byte[8];
        int got = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        if (got == 0)
        {
            throw new DataFormatException(path, "the file is empty");
        }
        if (got < prefix.Length || !prefix[..6].SequenceEqual(Magic))
        {
            throw new DataFormatException(path, "not a .npy file (it does not start with \\x93NUMPY)");
        }
        byte major = prefix[6];
        if (major is < 1 or > 3)
        {
            throw new DataFormatException(path, $".npy format version {major}.{prefix[7]} is not supported (1.0, 2.0 and 3.0 are)");
        }
        Span<byte> lengthField = stackalloc byte[major == 1 ? 2 : 4];
        ReadHeaderBytes(stream, lengthField, path);
        long length = major == 1 ? BitConverter.ToUInt16(lengthField) : BitConverter.ToUInt32(lengthField);
        if (length > 1 << 24)
        {
            throw new DataFormatException(path, $"corrupt .npy header (it claims {length} bytes)");
        }
        var text = new byte[length];
        ReadHeaderBytes(stream, text, path);
        var encoding = major == 3 ? Encoding.UTF8 : Encoding.Latin1;
        return Parse(encoding.GetString(text), path);
    }

    private static void ReadHeaderBytes(Stream stream, Span<byte> buffer, string path)
    {
        if (stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) < buffer.Length)
        {
            throw new DataFormatException(path, "truncated .npy header");
        }
    }

    public static NpyHeader Parse(string dict, string path)
    {
        var descr = DescrPattern().Match(dict);
        var fortran = FortranPattern().Match(dict);
        var shape = ShapePattern().Match(dict);
        if (!descr.Success || !fortran.Success || !shape.Success)
        {
            string what = !descr.Success && dict.Contains("descr", StringComparison.Ordinal)
                ? "a structured dtype is not supported: save a plain numeric array"
                : $"corrupt .npy header '{dict.Trim()}'";
            throw new DataFormatException(path, what);
        }
        var dims = new List<long>();
        foreach (var part in shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!long.TryParse(part.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out long dim))
            {
                throw new DataFormatException(path, $"corrupt .npy shape '({shape.Groups[1].Value})'");
            }
            dims.Add(dim);
        }
        return new NpyHeader(descr.Groups[1].Value, fortran.Groups[1].Value == "True", dims.ToArray());
    }

    /// <summary>The header bytes (magic to final newline), padded so the data starts at a multiple of 64.</summary>
    public byte[] Format()
    {
        string shape = Shape.Length == 1
            ? $"({Shape[0]},)"
            : $"({string.Join(", ", Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)))})";
        string dict = $"{{'descr': '{Descr}', 'fortran_order': {(FortranOrder ? "True" : "False")}, 'shape': {shape}, }}";
        bool large = dict.Length + 11 > ushort.MaxValue;
        int prefix = large ? 12 : 10;
        int total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        dict = dict.PadRight(total - prefix - 1) + "\n";
        var bytes = new byte[total];
        Magic.CopyTo(bytes, 0);
        bytes[6] = (byte)(large ? 2 : 1);
        bytes[7] = 0;
        if (large)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(8, 4), (uint)dict.Length);
        }
        else
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(8, 2), (ushort)dict.Length);
        }
        Encoding.Latin1.GetBytes(dict, bytes.AsSpan(prefix));
        return bytes;
    }

    [GeneratedRegex("""['"]descr['"]\s*:\s*['"]([^'"]*)['"]""")]
    private static partial Regex DescrPattern();

    [GeneratedRegex("""['"]fortran_order['"]\s*:\s*(True|False)""")]
    private static partial Regex FortranPattern();

    [GeneratedRegex("""['"]shape['"]\s*:\s*\(([^)]*)\)""")]
    private static partial Regex ShapePattern();
}
