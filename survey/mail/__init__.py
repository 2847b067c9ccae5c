"""Mail that loses nothing: an outbox written with the change, delivered by a worker.

- :mod:`survey.mail.outbox` queues a mail inside a write operation (so it is sent if and
  only if the change is committed) and delivers what is due, with a lease per mail (so
  several workers never send one twice) and retries with backoff.
- :mod:`survey.mail.transport` turns a queued mail into a multipart message and hands it
  to SMTP, or writes it as an ``.eml`` file in development.
"""
