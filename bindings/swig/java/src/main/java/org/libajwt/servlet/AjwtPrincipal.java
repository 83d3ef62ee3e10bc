package org.libajwt.servlet;

import java.security.Principal;
import java.util.Objects;

/** The username a request's token was verified for ({@code request.getUserPrincipal()}). */
public final class AjwtPrincipal implements Principal {
    private final String name;

    public AjwtPrincipal(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public String getName() { return name; }

    @Override
    public boolean equals(Object o) {
        return o instanceof AjwtPrincipal && ((AjwtPrincipal) o).name.equals(name);
    }

    @Override
    public int hashCode() { return name.hashCode(); }

    @Override
    public String toString() { return "AjwtPrincipal[" + name + "]"; }
}
