namespace Aem.Runtime;

/// <summary>The requested compute device cannot be used in this build or on this machine.</summary>
public sealed class DeviceUnavailableException : Exception
{
    public DeviceUnavailableException(string message) : base(message)
    {
    }

    public DeviceUnavailableException(string message, Exception inner) : base(message, inner)
    {
    }

    public DeviceUnavailableException()
    {
    }
}
