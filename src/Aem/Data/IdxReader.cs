using System.Buffers.Binary;
using System.IO.Compression;
using static TorchSharp.torch;

namespace Aem.Data;

/// <summary>
/// Reads IDX files (LeCun et al., the MNIST format), plain or gzip-compressed (detected from the
/// content, not the name). Header: two zero bytes, a type byte (0x08 = unsigned byte, the only type
/// MNIST uses and the only one read here), a dimension count n, then n big-endian int32 sizes, then
/// the values in row-major order. So images have magic 2051 (0x00000803: ubyte, 3 dimensions) and
/// labels 2049 (0x00000801). Every problem is a <see cref="DataFormatException"/> naming the file.
/// </summary>
internal static class IdxReader
{
    /// <summary>Magic number of an unsigned-byte IDX file of three dimensions (images).</summary>
    public const int ImagesMagic = 0x0803;

    /// <summary>Magic number of an unsigned-byte IDX file of one dimension (labels).</summary>
    public const int LabelsMagic = 0x0801;

    private const byte UnsignedByteType = 0x08;

    /// <summary>An image file as a uint8 tensor <c>[N, rows, columns]</c>.</summary>
    public static Tensor ReadImages(string path) => ToTensor(Parse(path, ImagesMagic, "images"));

    /// <summary>A label file as a uint8 tensor <c>[N]</c>.</summary>
    public static Tensor ReadLabels(string path) => ToTensor(Parse(path, LabelsMagic, "labels"));

    /// <summary>Any unsigned-byte IDX file as a uint8 tensor of the shape its header gives.</summary>
    public static Tensor Read(string path) => ToTensor(Parse(path, expectedMagic: null, what: null));

    private static Tensor ToTensor((long[] Shape, byte[] Data) idx) => tensor(idx.Data, idx.Shape, dtype: ScalarType.Byte);

    private static (long[] Shape, byte[] Data) Parse(string path, int? expectedMagic, string? what)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such IDX file.", path);
        byte[] bytes = ReadAllBytes(path);
        if (bytes.Length < 4) throw Bad(path, $"too short for an IDX header ({bytes.Length} bytes)");
        int magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (expectedMagic is { } expected && magic != expected)
        {
            throw Bad(path, $"bad magic number {magic} (0x{magic:X8}); IDX {what} files start with {expected} (0x{expected:X8})");
        }
        if (bytes[0] != 0 || bytes[1] != 0) throw Bad(path, $"bad magic number 0x{magic:X8}: not an IDX file (the first two bytes must be zero)");
        if (bytes[2] != UnsignedByteType) throw Bad(path, $"IDX value type 0x{bytes[2]:X2} is not supported (only unsigned bytes, 0x08)");
        int dimensions = bytes[3];
        if (dimensions < 1) throw Bad(path, "the header declares no dimensions");
        int headerLength = 4 + (4 * dimensions);
        if (bytes.Length < headerLength) throw Bad(path, $"truncated header: {dimensions} dimension sizes need {headerLength} bytes, the file has {bytes.Length}");
        var shape = new long[dimensions];
        long count = 1;
        for (int i = 0; i < dimensions; i++)
        {
            int size = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + (4 * i)));
            if (size < 0) throw Bad(path, $"dimension {i} has negative size {size}");
            shape[i] = size;
            count *= size;
        }
        long actual = bytes.Length - headerLength;
        if (actual != count)
        {
            throw Bad(path, $"the header promises {count} values ({string.Join("×", shape)}) but {actual} bytes follow it " +
                (actual < count ? "(truncated file)" : "(trailing data)"));
        }
        return (shape, bytes[headerLength..]);
    }

    private static byte[] ReadAllBytes(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> start = stackalloc byte[2];
        bool gzip = file.ReadAtLeast(start, 2, throwOnEndOfStream: false) == 2 && start[0] == 0x1f && start[1] == 0x8b;
        file.Position = 0;
        try
        {
            using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            return memory.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw Bad(path, $"corrupt gzip stream ({e.Message})");
        }
    }

    private static DataFormatException Bad(string path, string problem) => new(path, problem);
}
