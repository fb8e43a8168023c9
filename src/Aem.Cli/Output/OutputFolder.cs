using Aem.Runs;

namespace Aem.Cli.Output;

/// <summary>
/// An output folder a command writes into. If the command created it and fails before
/// <see cref="Keep"/>, <see cref="Dispose"/> removes it again, so bad input leaves nothing behind.
/// </summary>
internal sealed class OutputFolder : IDisposable
{
    private readonly bool created;
    private bool keep;

    private OutputFolder(string path, bool created)
    {
        Path = path;
        this.created = created;
    }

    public string Path { get; }

    /// <summary>Opens (creating if needed) <paramref name="path"/>; refuses a path that is a file.</summary>
    public static OutputFolder Open(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (System.IO.File.Exists(full)) throw new UsageException($"{path}: is a file; --out needs a folder.");
        bool created = !Directory.Exists(full);
        Directory.CreateDirectory(full);
        return new OutputFolder(full, created);
    }

    /// <summary>True if <paramref name="path"/> is missing or an empty folder (a released run lock does not count).</summary>
    public static bool IsEmptyOrMissing(string path) =>
        !Directory.Exists(path) || Directory.EnumerateFileSystemEntries(path).All(e => RunLock.IsLockFile(System.IO.Path.GetFileName(e)));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Refuses an output file whose folder does not exist (it is not created: a typo should not leave folders behind).</summary>
    public static void RequireParent(string file, string option)
    {
        string? parent = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(file));
        if (parent is not null && !Directory.Exists(parent)) throw new UsageException($"{option} {file}: the folder {parent} does not exist.");
    }

    /// <summary>The command has produced results worth keeping even if it fails later.</summary>
    public void Keep() => keep = true;

    public void Dispose()
    {
        if (keep || !created) return;
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
