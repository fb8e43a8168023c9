namespace Aem.Runs;

/// <summary>
/// An exclusive claim on a run folder, held for a training process's lifetime so that two runs never
/// write the same checkpoints. <c>DIR/.lock</c> is opened with <see cref="FileShare.None"/>, which .NET
/// enforces between processes (with <c>flock(LOCK_EX | LOCK_NB)</c> on Unix, share modes on Windows);
/// the OS drops the claim when the handle closes, including when the process is killed, so a crashed run
/// never leaves a stale lock. The holder's PID goes into <c>DIR/.lock.pid</c>, a separate file, because
/// on Unix any other open of the locked file (even read-only) asks for a shared lock and is refused.
/// </summary>
public sealed class RunLock : IDisposable
{
    /// <summary>The locked file's name inside the run folder.</summary>
    public const string FileName = ".lock";

    /// <summary>The holder's PID, for the refusal message.</summary>
    public const string PidFileName = ".lock.pid";

    private readonly FileStream handle;

    private RunLock(string path, FileStream handle)
    {
        Path = path;
        this.handle = handle;
    }

    /// <summary>The run folder.</summary>
    public string Path { get; }

    /// <summary>True if <paramref name="name"/> is one of the lock's own files (not run output).</summary>
    public static bool IsLockFile(string name) => name is FileName or PidFileName;

    /// <summary>Claims <paramref name="directory"/> (creating it if needed), or throws if another process holds it.</summary>
    /// <exception cref="RunFolderInUseException">Another process (or another claim in this one) holds the folder.</exception>
    public static RunLock Acquire(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Directory.CreateDirectory(directory);
        string lockPath = System.IO.Path.Combine(directory, FileName);
        string pidPath = System.IO.Path.Combine(directory, PidFileName);
        FileStream stream;
        try
        {
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
        {
            string pid = ReadPid(pidPath) is { } n ? $"PID {n}" : "PID unknown";
            throw new RunFolderInUseException($"{directory}: another aem process ({pid}) is using this run folder", e);
        }
        try
        {
            int pid = Environment.ProcessId;
            File.WriteAllText(pidPath, pid + "\n");
            // The PID also goes into the lock file itself, for anyone looking after the fact.
            stream.SetLength(0);
            stream.Write(System.Text.Encoding.ASCII.GetBytes(pid + "\n"));
            stream.Flush();
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        return new RunLock(directory, stream);
    }

    /// <summary>Releases the claim. The files stay: deleting them could race with a process that is opening them.</summary>
    public void Dispose() => handle.Dispose();

    private static int? ReadPid(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), out int pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
