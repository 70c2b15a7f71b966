namespace Edge.Sdk.Inference;

/// <summary>
/// A session plus a reference count. The host holds one reference while the session is current; each lease holds
/// one more. The session is disposed when the count reaches zero, which happens only after it was swapped out and
/// every in-flight call finished. A count of zero is final, so a reader that sees it retries with the new current.
/// </summary>
internal sealed class SessionHandle
{
    private int references = 1;

    public SessionHandle(EdgeSession session)
    {
        Session = session;
    }

    public EdgeSession Session { get; }

    public bool TryAcquire()
    {
        var current = Volatile.Read(ref references);
        while (current > 0)
        {
            var seen = Interlocked.CompareExchange(ref references, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref references) == 0)
        {
            Session.Dispose();
        }
    }
}
