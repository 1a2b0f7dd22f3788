/**
 * Mutual TLS for partial migration (docs/security.md): the site CA that issues each desktop and
 * server its key and certificate ({@link dev.jettison.migration.tls.SiteCa}), the names in those
 * certificates that bind a host to its role and a desktop to its VMs
 * ({@link dev.jettison.migration.tls.CertificateNames}), the revocation list every host reloads,
 * and the {@link dev.jettison.migration.wire.WireSecurity} that runs TLS 1.3 over every channel
 * ({@link dev.jettison.migration.tls.MutualTls}).
 */
package dev.jettison.migration.tls;
