package org.libajwt.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;

/** The request as the servlet sees it after {@link AjwtFilter}: the verified user is its principal. */
final class AuthenticatedRequest extends HttpServletRequestWrapper {
    private final AjwtPrincipal principal;

    AuthenticatedRequest(HttpServletRequest request, String username) {
        super(request);
        this.principal = new AjwtPrincipal(username);
    }

    @Override
    public Principal getUserPrincipal() { return principal; }

    @Override
    public String getRemoteUser() { return principal.getName(); }

    @Override
    public String getAuthType() { return AjwtFilter.CHALLENGE; }
}
