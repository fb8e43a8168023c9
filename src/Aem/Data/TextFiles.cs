namespace Aem.Data;

/// <summary>Opens input files, turning the runtime's I/O failures into one-line <see cref="DataFormatException"/>s.</summary>
internal static class TextFiles
{
    public static StreamReader OpenText(string path) =>
        new(OpenRead(path), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);

    public static FileStream OpenRead(string path)
    {
        if (Directory.Exists(path))
        {
            throw new DataFormatException(path, "is a folder, not a file");
        }
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DataFormatException(path, "file not found", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new DataFormatException(path, $"cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Wraps an I/O failure while reading an open file.</summary>
    public static DataFormatException ReadFailed(string path, IOException e) => new(path, $"cannot be read: {e.Message}", e);
}
