namespace Aem.Runs;

/// <summary>A checkpoint that cannot be read: missing, truncated, tampered with, or of another format.</summary>
public sealed class CheckpointException : Exception
{
    /// <summary>The problem in one line; the tool prints <paramref name="message"/> as it is.</summary>
    /// <param name="message">What is wrong, naming the folder or device and what to do.</param>
    public CheckpointException(string message) : base(message)
    {
    }

    /// <summary>The problem in one line, caused by <paramref name="inner"/>.</summary>
    /// <param name="message">What is wrong, naming the folder or device and what to do.</param>
    /// <param name="inner">The error that revealed it.</param>
    public CheckpointException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>An empty message (for serialisers and frameworks); prefer the constructor with a message.</summary>
    public CheckpointException()
    {
    }
}
