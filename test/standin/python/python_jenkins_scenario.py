#!/usr/bin/python3
"""Drive a Jenkins (the jobsmith stand-in) with Debian's python3-jenkins, unchanged.

Usage: python_jenkins_scenario.py URL USER TOKEN
Prints one JSON object per line: {"step": ..., "ok": bool, "detail": ...}. Never prints the token.
"""
import json
import sys
import traceback

import jenkins
import requests

URL, USER, TOKEN = sys.argv[1], sys.argv[2], sys.argv[3]

FREESTYLE = """<?xml version='1.0' encoding='UTF-8'?>
<project>
  <description>{desc}</description>
  <keepDependencies>false</keepDependencies>
  <properties/>
  <scm class="hudson.scm.NullSCM"/>
  <canRoam>true</canRoam>
  <disabled>false</disabled>
  <triggers/>
  <builders/>
  <publishers/>
  <buildWrappers/>
</project>"""

LIST_VIEW = """<?xml version="1.0" encoding="UTF-8"?>
<hudson.model.ListView>
  <name>ignored</name>
  <filterExecutors>false</filterExecutors>
  <filterQueue>false</filterQueue>
  <properties class="hudson.model.View$PropertyList"/>
  <jobNames>
    <comparator class="hudson.util.CaseInsensitiveComparator"/>
    <string>alpha</string>
  </jobNames>
  <jobFilters/>
  <columns/>
  <recurse>false</recurse>
</hudson.model.ListView>"""


def emit(step, ok, detail=None):
    print(json.dumps({"step": step, "ok": bool(ok), "detail": detail}), flush=True)


def run(step, fn):
    try:
        detail = fn()
        emit(step, True, detail)
    except Exception as exc:  # report and go on: every step is judged by the test
        emit(step, False, "%s: %s" % (type(exc).__name__, str(exc).replace(TOKEN, "***")))


server = jenkins.Jenkins(URL, username=USER, password=TOKEN, timeout=20)


def version():
    # get_version() sends GET / without resolving auth first; it works once another call has.
    return server.get_version()


def version_first():
    fresh = jenkins.Jenkins(URL, username=USER, password=TOKEN, timeout=20)
    return fresh.get_version()


def whoami():
    return server.get_whoami()["id"]


def create():
    server.create_job("alpha", FREESTYLE.format(desc="first"))
    return server.job_exists("alpha")


def duplicate():
    try:
        server.create_job("alpha", FREESTYLE.format(desc="dup"))
    except jenkins.JenkinsException as exc:
        return "refused: " + str(exc)
    raise AssertionError("duplicate was accepted")


def duplicate_other_case():
    # job_exists("ALPHA") finds 'alpha' (case-insensitive root) and python-jenkins insists on the exact name.
    try:
        server.create_job("ALPHA", FREESTYLE.format(desc="dup"))
    except jenkins.JenkinsException as exc:
        return "refused: " + str(exc)
    raise AssertionError("duplicate was accepted")


def duplicate_server_side():
    # Bypass python-jenkins' own check: the server must refuse with 400 + X-Error.
    try:
        server.jenkins_open(requests.Request(
            "POST", server._build_url("createItem?name=ALPHA"),
            data=FREESTYLE.format(desc="dup").encode("utf-8"),
            headers={"Content-Type": "text/xml; charset=utf-8"}))
    except requests.exceptions.HTTPError as exc:
        return {"status": exc.response.status_code, "x_error": exc.response.headers.get("X-Error")}
    raise AssertionError("duplicate was accepted")


def reconfig():
    server.reconfig_job("alpha", FREESTYLE.format(desc="second &amp; better"))
    return server.get_job_config("alpha")


def info():
    i = server.get_job_info("alpha")
    return {"name": i["name"], "color": i["color"], "buildable": i["buildable"], "description": i["description"]}


def disable_enable():
    server.disable_job("alpha")
    c1 = server.get_job_info("alpha")["color"]
    server.enable_job("alpha")
    c2 = server.get_job_info("alpha")["color"]
    return [c1, c2]


def copy():
    server.copy_job("alpha", "beta")
    return server.get_job_info("beta")["buildable"]


def rename():
    server.rename_job("beta", "gamma")
    return [server.job_exists("beta"), server.job_exists("gamma")]


def folders():
    server.create_job("team", jenkins.EMPTY_FOLDER_XML)
    server.create_job("team/inner", FREESTYLE.format(desc="in a folder"))
    names = sorted(j["fullname"] for j in server.get_all_jobs())
    return {"is_folder": server.is_folder("team"), "exists": server.job_exists("team/inner"), "all": names}


def missing_folder():
    try:
        server.create_job("nofolder/x", FREESTYLE.format(desc="x"))
    except jenkins.JenkinsException as exc:
        return "refused: " + str(exc)
    raise AssertionError("job created in a missing folder")


def views():
    server.create_view("mine", LIST_VIEW)
    exists = server.view_exists("mine")
    cfg = server.get_view_config("mine")
    server.reconfig_view("mine", LIST_VIEW.replace("<string>alpha</string>", "<string>alpha</string><string>gamma</string>"))
    names = [v["name"] for v in server.get_views()]
    jobs = [j["name"] for j in server._get_view_jobs("mine")] if hasattr(server, "_get_view_jobs") else None
    server.delete_view("mine")
    return {"exists": exists, "config_has_name": "<name>mine</name>" in cfg, "views": names, "jobs": jobs, "after_delete": server.view_exists("mine")}


def build():
    qid = server.build_job("alpha")
    item = server.get_queue_item(qid)
    return {"queue_id": qid, "has_task": item["task"]["name"]}


def delete():
    server.delete_job("gamma")
    server.delete_job("team")
    return [server.job_exists("gamma"), server.job_exists("team/inner")]


def bad_token():
    bad = jenkins.Jenkins(URL, username=USER, password="11" + "0" * 32, timeout=20)
    try:
        bad.get_whoami()
    except jenkins.JenkinsException as exc:
        return "refused: " + str(exc).replace(TOKEN, "***")
    raise AssertionError("bad token accepted")


def malformed():
    try:
        server.create_job("broken", "<project><description>unclosed</project>")
    except jenkins.JenkinsException as exc:
        return {"refused": str(exc), "exists_after": server.job_exists("broken")}
    raise AssertionError("malformed XML accepted")


def bad_name():
    try:
        server.create_job("bad?name", FREESTYLE.format(desc="x"))
    except (jenkins.JenkinsException, requests.exceptions.HTTPError) as exc:
        return "refused: %s %s" % (type(exc).__name__, exc)
    raise AssertionError("bad name accepted")


def plugins():
    return sorted(server.get_plugins().keys())[:2] and len(server.get_plugins())


for name, fn in [
    ("whoami", whoami), ("version", version), ("create", create), ("duplicate", duplicate),
    ("duplicate_other_case", duplicate_other_case), ("duplicate_server_side", duplicate_server_side),
    ("reconfig", reconfig), ("info", info), ("disable_enable", disable_enable), ("copy", copy),
    ("rename", rename), ("folders", folders), ("missing_folder", missing_folder), ("views", views),
    ("build", build), ("delete", delete), ("bad_token", bad_token), ("malformed", malformed),
    ("bad_name", bad_name), ("plugins", plugins), ("version_first", version_first),
]:
    run(name, fn)
