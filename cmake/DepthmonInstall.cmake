# What `cmake --install` puts in place (systemd/README.md lists the tree):
#   bin/depthmond, bin/depthmon                       (depthmond once daemon/ defines it)
#   <sysconfdir>/depthmon/depthmon.toml, demo.toml     (kept when already there: operator edits)
#   share/depthmon/prometheus/*.yml                    (rules and their promtool tests)
#   share/depthmon/grafana/*.json                      (dashboard)
#   share/doc/depthmon/{README,systemd,config}.md
#   lib/systemd/system/depthmon.service                (paths of this install)
# The unit and the config directory are computed at install time, so `cmake --install build
# --prefix P` yields a unit that names P's binaries and config. <sysconfdir> is
# CMAKE_INSTALL_SYSCONFDIR when absolute (packagers pass /etc), /etc for the /usr prefix, else
# <prefix>/etc, the same rule GNUInstallDirs applies to CMAKE_INSTALL_FULL_SYSCONFDIR.
include(GNUInstallDirs)

set(DEPTHMON_SYSTEMD_UNITDIR "lib/systemd/system" CACHE STRING
    "Where the systemd unit is installed (relative: under the install prefix)")

if(TARGET depthmond)
  install(TARGETS depthmond RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

file(GLOB _depthmon_rules ${PROJECT_SOURCE_DIR}/config/prometheus/*.yml)
file(GLOB _depthmon_dashboards ${PROJECT_SOURCE_DIR}/config/grafana/*.json)
install(FILES ${_depthmon_rules} DESTINATION ${CMAKE_INSTALL_DATADIR}/depthmon/prometheus)
install(FILES ${_depthmon_dashboards} DESTINATION ${CMAKE_INSTALL_DATADIR}/depthmon/grafana)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/systemd/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR}
        RENAME systemd.md)
install(FILES ${PROJECT_SOURCE_DIR}/config/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR}
        RENAME config.md OPTIONAL)

install(CODE "
  set(DEPTHMON_SOURCE_DIR \"${PROJECT_SOURCE_DIR}\")
  set(DEPTHMON_BINDIR \"${CMAKE_INSTALL_BINDIR}\")
  set(DEPTHMON_SYSCONFDIR \"${CMAKE_INSTALL_SYSCONFDIR}\")
  set(DEPTHMON_DOCDIR \"${CMAKE_INSTALL_DOCDIR}\")
  set(DEPTHMON_UNITDIR \"${DEPTHMON_SYSTEMD_UNITDIR}\")
  set(DEPTHMON_BINARY_DIR \"${PROJECT_BINARY_DIR}\")")
install(SCRIPT ${PROJECT_SOURCE_DIR}/cmake/DepthmonInstallTree.cmake)
