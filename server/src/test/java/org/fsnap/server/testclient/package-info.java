/**
 * A protocol-level NFSv4.1 test client and an in-process server for tests.
 *
 * <ul>
 *   <li>{@link org.fsnap.server.testclient.TestServer}: {@code NfsServer} on 127.0.0.1 over a
 *       {@link org.fsnap.server.testclient.MemoryFileSystem} (or any VFS), with
 *       {@code RpcRecordGuard} installed.</li>
 *   <li>{@link org.fsnap.server.testclient.Nfs4Client}: EXCHANGE_ID / CREATE_SESSION /
 *       RECLAIM_COMPLETE via {@code establishSession()}, then
 *       {@code compound().sequence().putrootfh().lookup("a").getfh().send()}; slot sequence ids
 *       are tracked; {@code resendLast()} retransmits; {@code send(builder, mutate)} corrupts
 *       the encoded arguments; {@code as(AuthSys.of(uid, gid))} changes the credential.</li>
 *   <li>{@link org.fsnap.server.testclient.CompoundReply} / {@link
 *       org.fsnap.server.testclient.OpReply}: per-operation status and raw body, with decoders
 *       ({@code fh()}, {@code attrs()}, {@code read()}, {@code readdir()}, {@code open()},
 *       {@code stateid()}, {@code changeInfo()}, {@code sequence()}...).</li>
 *   <li>{@link org.fsnap.server.testclient.RpcChannel}: {@link
 *       org.fsnap.server.testclient.OncRpcChannel} (oncrpc4j's client) or {@link
 *       org.fsnap.server.testclient.RawRpcConnection} (own record marking; sends anything,
 *       reports replies, closes and silence).</li>
 *   <li>{@link org.fsnap.server.testclient.XdrWriter} / {@link
 *       org.fsnap.server.testclient.XdrReader}, {@link org.fsnap.server.testclient.Nfs4},
 *       {@link org.fsnap.server.testclient.Attr}, {@link org.fsnap.server.testclient.Fattr},
 *       {@link org.fsnap.server.testclient.FattrBuilder}: numbers and codecs written from the
 *       RFCs independently of the server's own.</li>
 * </ul>
 */
package org.fsnap.server.testclient;
