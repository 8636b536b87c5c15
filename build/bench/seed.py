"""Seeds a bench user through the public API and writes what the later steps need as JSON.

usage: seed.py API_URL MAIL_DIR OUT.json GLB_FILE

 - registers bench@example.com (register, the code from the pickup e-mail, verify);
 - 57 chats with 2 to 8 messages each (titles with accents, quotes and & for the JSON comparison);
 - 200 generation jobs with the built-in generator (glb, obj, ply: 5 assets each), 120 of them from chats through
   /api/generate, 80 through /api/jobs, and waits until every one has completed;
 - uploads GLB_FILE (the 5 MB download).
"""
import concurrent.futures
import email
import glob
import json
import os
import re
import sys
import time
import uuid

from common import Api

EMAIL, PASSWORD = "bench@example.com", "Bench12345"
WORDS = ["red", "blue", "green", "yellow", "large", "small", "two", "three", "wooden", "shiny"]
SHAPES = ["cube", "sphere", "torus", "cone", "cylinder", "snowman", "pyramid", "chair", "tree", "boat"]
TITLES = ["Ideas for the lobby", "Café table props", "Toys & games", 'The "hero" asset', "Level 3 — set dressing",
          "Garden scene", "Spaceship parts", "Office décor", "Low-poly animals", "Props <draft>"]


def verification_code(mail_dir, address):
    for _ in range(200):
        for path in sorted(glob.glob(os.path.join(mail_dir, "*.eml")), key=os.path.getmtime, reverse=True):
            with open(path, "rb") as f:
                message = email.message_from_bytes(f.read())
            if address not in (message.get("To") or ""):
                continue
            parts = [p for p in message.walk() if p.get_content_type() == "text/plain"] or list(message.walk())
            for part in parts:
                payload = part.get_payload(decode=True)
                if not payload:
                    continue
                text = payload.decode("utf-8", "replace")
                after = text.split("enter this code", 1)[-1]
                match = re.search(r"\b(\d{6})\b", after)
                if match:
                    return match.group(1)
        time.sleep(0.05)
    raise RuntimeError(f"no verification e-mail for {address} in {mail_dir}")


def main():
    api_url, mail_dir, out_path, glb = sys.argv[1:5]
    anonymous = Api(api_url)
    anonymous.json("POST", "/api/auth/register", {"email": EMAIL, "password": PASSWORD, "name": "Bench User"})
    code = verification_code(mail_dir, EMAIL)
    signed_in = anonymous.json("POST", "/api/auth/register/verify", {"email": EMAIL, "code": code}, expect=(201,))
    token, user_id = signed_in["token"], signed_in["user"]["id"]
    api = Api(api_url, token)

    chats = []
    for i in range(57):
        title = f"{TITLES[i % len(TITLES)]} #{i + 1}"
        chats.append(api.json("POST", "/api/chats", {"title": title}, expect=(201,))["id"])
    for i, chat in enumerate(chats):
        for m in range(2 + (i * 5) % 7):
            content = f"Message {m + 1}: could we try {WORDS[(i + m) % len(WORDS)]} {SHAPES[m % len(SHAPES)]}s? It's for scene {i}."
            api.json("POST", "/api/messages", {"chatId": chat, "content": content}, expect=(201,))

    def submit(i):
        client = Api(api_url, token)
        prompt = f"{WORDS[i % len(WORDS)]} {WORDS[(i * 3 + 1) % len(WORDS)]} {SHAPES[i % len(SHAPES)]}"
        body = {"prompt": prompt, "formats": ["glb", "obj", "ply"]}
        if i < 120:
            body["chatId"] = chats[i % len(chats)]
            path = "/api/generate"
        else:
            path = "/api/jobs"
        return client.json("POST", path, body, expect=(202,), headers={"Idempotency-Key": str(uuid.uuid4())})["job"]["id"]

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        jobs = list(pool.map(submit, range(200)))

    deadline = time.monotonic() + 600
    while True:
        page = api.json("GET", "/api/jobs?page=1&limit=1&status=completed")
        if page["total"] >= len(jobs):
            break
        failed = api.json("GET", "/api/jobs?page=1&limit=1&status=failed")["total"]
        if failed or time.monotonic() > deadline:
            raise RuntimeError(f"seeding: {page['total']} of {len(jobs)} jobs completed, {failed} failed")
        time.sleep(0.25)

    with open(glb, "rb") as f:
        content = f.read()
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.glb\"\r\n"
            f"Content-Type: model/gltf-binary\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    asset = api.json("POST", "/api/assets", raw=body, expect=(201,),
                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    if asset["sizeBytes"] != len(content):
        raise RuntimeError(f"upload stored {asset['sizeBytes']} bytes of {len(content)}")

    assets = api.json("GET", "/api/assets?page=1&limit=1")["total"]
    messages = sum(api.json("GET", f"/api/messages?chatId={c}&page=1&limit=1")["total"] for c in chats)
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump({"token": token, "userId": user_id, "chats": len(chats), "messages": messages, "jobs": len(jobs),
                   "assets": assets, "downloadAssetId": asset["id"], "downloadBytes": len(content),
                   "chatId": chats[0]}, f)
    print(f"seeded {len(chats)} chats, {messages} messages, {len(jobs)} completed jobs, {assets} assets "
          f"(one of them a {len(content) / 1048576:.1f} MB glb)")


if __name__ == "__main__":
    main()
