using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>
/// Writes an 8-bit greyscale PNG (ISO/IEC 15948) from an image <c>[H, W]</c> in [0, 1]; written to a
/// temporary file and renamed, so no half-written figure is left behind.
/// </summary>
internal static class GrayscalePng
{
    private static readonly uint[] CrcTable = MakeCrcTable();

    public static void Write(string path, Tensor image)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(image);
        if (image.dim() != 2) throw new ArgumentException($"Expected an image [H, W], got [{string.Join(", ", image.shape)}].", nameof(image));
        int height = (int)image.shape[0], width = (int)image.shape[1];
        float[] pixels;
        using (var cpu = image.to(float32, CPU).contiguous()) pixels = cpu.data<float>().ToArray();
        var raw = new byte[height * (width + 1)];
        for (int y = 0; y < height; y++)
        {
            raw[y * (width + 1)] = 0;                                                // filter type: none
            for (int x = 0; x < width; x++)
            {
                float v = pixels[(y * width) + x];
                raw[(y * (width + 1)) + 1 + x] = (byte)Math.Round(255 * Math.Clamp(float.IsFinite(v) ? v : 0, 0, 1));
            }
        }
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) zlib.Write(raw);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;                                                               // bit depth
        header[9] = 0;                                                               // colour type: greyscale
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temporary = full + $".tmp-{Environment.ProcessId}";
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
            {
                file.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
                WriteChunk(file, "IHDR", header);
                WriteChunk(file, "IDAT", compressed.ToArray());
                WriteChunk(file, "IEND", []);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        stream.Write(typeBytes);
        stream.Write(data);
        uint crc = Crc(Crc(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        stream.Write(word);
    }

    private static uint Crc(uint crc, byte[] data)
    {
        foreach (byte b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] MakeCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
