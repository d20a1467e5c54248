-- 0036: the payment code of a top-up order (billing/channels/channel.h): the text of the QR
-- code its channel answered (Alipay's qr_code, WeChat Pay's code_url), kept so the order page
-- shows the same code each time and the channel is asked only once. NULL: not asked yet, or the
-- channel failed (the order page asks again), or a bank transfer.
ALTER TABLE billing_orders ADD COLUMN payment_code TEXT;
