# The Debian package (`cpack -G DEB` in a build dir; scripts/package.sh builds it):
# verified_<version>_<arch>.deb with the three binaries (static), their man pages generated
# from --help, the Kubernetes files under /usr/share/verified, /etc/verified created root-owned
# with no policy (postinst), verified removed from every engine before its binaries go (prerm:
# `verifiedctl uninstall all`), and the configuration removed on purge (postrm).

# Man pages from each binary's --help (scripts/gen-man.sh), so they never drift from it.
set(VERIFIED_MAN_DIR ${CMAKE_BINARY_DIR}/man)
set(VERIFIED_MAN_PAGES)
foreach(bin verifiedctl verified-runtime verified-hook)
  set(page ${VERIFIED_MAN_DIR}/${bin}.1.gz)
  add_custom_command(
    OUTPUT ${page}
    COMMAND ${PROJECT_SOURCE_DIR}/scripts/gen-man.sh $<TARGET_FILE:${bin}> ${bin}
            ${PROJECT_VERSION} ${page}
    DEPENDS ${bin} ${PROJECT_SOURCE_DIR}/scripts/gen-man.sh
    COMMENT "man page ${bin}(1)")
  list(APPEND VERIFIED_MAN_PAGES ${page})
endforeach()
add_custom_target(manpages ALL DEPENDS ${VERIFIED_MAN_PAGES})
install(FILES ${VERIFIED_MAN_PAGES} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/install/kubernetes/runtimeclass.yaml
              ${PROJECT_SOURCE_DIR}/install/kubernetes/daemonset.yaml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/verified)
install(PROGRAMS ${PROJECT_SOURCE_DIR}/install/kubernetes/node-installer.sh
        DESTINATION ${CMAKE_INSTALL_DATADIR}/verified)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME verified)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "verified maintainers <root@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "OCI runtime that proves which image a container runs before runc starts it")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "verified wraps runc: on create it proves from the engine's own storage which image the\n\
 container's root filesystem came from, checks it against the host policy, and execs runc only\n\
 if the check passes. Docker, containerd (Kubernetes RuntimeClass) and Podman.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "runc")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "docker.io, containerd, podman")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# Debug information stays in the build tree (the static binaries are 20x larger with it).
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${PROJECT_SOURCE_DIR}/install/debian/postinst;${PROJECT_SOURCE_DIR}/install/debian/prerm;${PROJECT_SOURCE_DIR}/install/debian/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
