namespace Aem.Runs;

/// <summary>A run folder another process is training in (see <see cref="RunLock"/>).</summary>
public sealed class RunFolderInUseException : Exception
{
    public RunFolderInUseException(string message) : base(message)
    {
    }

    public RunFolderInUseException(string message, Exception inner) : base(message, inner)
    {
    }

    public RunFolderInUseException()
    {
    }
}
