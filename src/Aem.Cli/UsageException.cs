namespace Aem.Cli;

/// <summary>A request the tool cannot carry out as given (conflicting options, an occupied output folder...): exit code 2.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message) : base(message)
    {
    }

    public UsageException(string message, Exception inner) : base(message, inner)
    {
    }

    public UsageException()
    {
    }
}
