namespace Edge.Sdk.Inference;

/// <summary>
/// A session plus a reference count. The host holds one reference while the session is current; each lease holds
/// one more. The session is disposed when the count reaches zero, which happens only after it was swapped out and
/// every in-flight call finished. A count of zero is final, so a reader that sees it retries with the new current.
/// When the last reference is a call's lease, the dispose runs on the thread pool: freeing a large model's weights and
/// arena takes tens of milliseconds, which would otherwise land on the app thread that made the call.
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

    /// <summary>Drops one reference; the last one disposes the session, here or, with <paramref name="disposeInBackground"/>, on the thread pool.</summary>
    public void Release(bool disposeInBackground = false)
    {
        if (Interlocked.Decrement(ref references) != 0)
        {
            return;
        }

        if (disposeInBackground)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static session => session.Dispose(), Session, preferLocal: false);
        }
        else
        {
            Session.Dispose();
        }
    }
}
