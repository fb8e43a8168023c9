namespace Aem.Runs;

/// <summary>A checkpoint that cannot be read: missing, truncated, tampered with, or of another format.</summary>
public sealed class CheckpointException : Exception
{
    public CheckpointException(string message) : base(message)
    {
    }

    public CheckpointException(string message, Exception inner) : base(message, inner)
    {
    }

    public CheckpointException()
    {
    }
}
