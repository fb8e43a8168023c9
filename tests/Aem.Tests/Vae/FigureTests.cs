using System.Buffers.Binary;
using System.IO.Compression;
using Aem.Vae;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Vae;

public sealed class FigureTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "aem-png-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void Tile_PutsImageIAtItsRowAndColumn()
    {
        using var images = arange(5 * 2 * 3, dtype: float32).div(30).reshape(5, 1, 2, 3);

        using var grid = ImageGrid.Tile(images, columns: 2, padding: 1, background: 1);

        Assert.Equal(new long[] { 1 + (3 * 3), 1 + (2 * 4) }, grid.shape);
        // Image 3 is row 1, column 1: top 1 + 1·3 = 4, left 1 + 1·4 = 5.
        Assert.True(grid.narrow(0, 4, 2).narrow(1, 5, 3).allclose(images[3, 0]));
        Assert.Equal(1.0, grid[0, 0].ToDouble());
        Assert.Equal(1.0, grid[8, 6].ToDouble());                                  // the empty sixth cell
    }

    [Fact]
    public void Png_HoldsTheImageBytesWithValidChunkChecksums()
    {
        using var image = tensor(new float[] { 0, 0.5f, 1, 0.25f, 2, -1 }, [2, 3]);
        string path = Path.Combine(directory, "figure.png");

        GrayscalePng.Write(path, image);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        var chunks = new Dictionary<string, byte[]>();
        for (int at = 8; at < bytes.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
            string type = System.Text.Encoding.ASCII.GetString(bytes, at + 4, 4);
            var data = bytes[(at + 8)..(at + 8 + length)];
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at + 8 + length));
            Assert.Equal(Crc32(bytes[(at + 4)..(at + 8 + length)]), crc);
            chunks[type] = data;
            at += 12 + length;
        }
        Assert.Equal(3, BinaryPrimitives.ReadInt32BigEndian(chunks["IHDR"]));
        Assert.Equal(2, BinaryPrimitives.ReadInt32BigEndian(chunks["IHDR"].AsSpan(4)));
        using var zlib = new ZLibStream(new MemoryStream(chunks["IDAT"]), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        Assert.Equal(new byte[] { 0, 0, 128, 255, 0, 64, 255, 0 }, raw.ToArray());
        Assert.True(chunks.ContainsKey("IEND"));
        Assert.Single(Directory.GetFiles(directory));
    }

    /// <summary>Bitwise CRC-32 (ISO 3309), independent of the writer's table-driven one.</summary>
    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }
}
